#include "group_service_stub.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace mcpauth::test {

struct GroupServiceStub::State {
  std::atomic<Behaviour> behaviour{Behaviour::answer};
  std::atomic<int> requests{0};
  std::atomic<int> in_flight{0};
  std::string api_key;
  mutable std::mutex mutex;
  std::map<std::string, std::set<std::string>> members;
  std::string last_authorization, last_body;
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<GroupServiceStub::State> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    ++state_->in_flight;
    struct Done {
      std::atomic<int>& count;
      ~Done() { --count; }
    } done{state_->in_flight};
    ++state_->requests;
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const std::string authorization = request.get("Authorization", "");
    bool member = false;
    {
      std::lock_guard lock(state_->mutex);
      state_->last_authorization = authorization;
      state_->last_body = body;
      Poco::JSON::Object::Ptr asked = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
      auto group = state_->members.find(asked->getValue<std::string>("group_id"));
      member = group != state_->members.end() && group->second.count(asked->getValue<std::string>("user_id")) > 0;
    }
    response.setContentType("application/json");
    switch (state_->behaviour.load()) {
      case GroupServiceStub::Behaviour::fail_500:
        response.setStatus(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
        response.send() << R"({"is_member": true})";
        return;
      case GroupServiceStub::Behaviour::not_json:
        response.send() << "is_member: yes";
        return;
      case GroupServiceStub::Behaviour::slow:
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        break;
      case GroupServiceStub::Behaviour::answer:
        break;
    }
    if (authorization != "Bearer " + state_->api_key) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
      response.send() << R"({"detail": "bad key"})";
      return;
    }
    response.send() << (member ? R"({"is_member": true})" : R"({"is_member": false})");
  }

 private:
  std::shared_ptr<GroupServiceStub::State> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<GroupServiceStub::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<GroupServiceStub::State> state_;
};

std::shared_ptr<GroupServiceStub::State> make_state(std::map<std::string, std::set<std::string>> members,
                                                    std::string api_key) {
  auto state = std::make_shared<GroupServiceStub::State>();
  state->members = std::move(members);
  state->api_key = std::move(api_key);
  return state;
}

}  // namespace

GroupServiceStub::GroupServiceStub(std::map<std::string, std::set<std::string>> members, std::string api_key)
    : state_(make_state(std::move(members), std::move(api_key))),
      socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
      server_(new Factory(state_), socket_, new Poco::Net::HTTPServerParams) {
  server_.start();
}

// Slow answers may still be running: the state they use is shared, and they are waited for.
GroupServiceStub::~GroupServiceStub() {
  server_.stopAll(false);
  for (int i = 0; i < 500 && state_->in_flight > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::string GroupServiceStub::url() const {
  return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/membership";
}

void GroupServiceStub::set_behaviour(Behaviour behaviour) { state_->behaviour = behaviour; }

int GroupServiceStub::requests() const { return state_->requests; }

void GroupServiceStub::set_members(std::map<std::string, std::set<std::string>> members) {
  std::lock_guard lock(state_->mutex);
  state_->members = std::move(members);
}

std::string GroupServiceStub::last_authorization() const {
  std::lock_guard lock(state_->mutex);
  return state_->last_authorization;
}

std::string GroupServiceStub::last_body() const {
  std::lock_guard lock(state_->mutex);
  return state_->last_body;
}

}  // namespace mcpauth::test
