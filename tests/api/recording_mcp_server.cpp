#include "recording_mcp_server.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <thread>

namespace mcpauth::test {
namespace {

using namespace std::chrono_literals;

struct Rpc {
  std::string method;
  std::string id = "null";  // as JSON
};

Rpc rpc_of(const std::string& body) {
  Rpc rpc;
  try {
    Poco::JSON::Object::Ptr message = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    rpc.method = message->optValue<std::string>("method", "");
    if (message->has("id"))
      rpc.id =
          message->get("id").isString() ? "\"" + message->get("id").toString() + "\"" : message->get("id").toString();
  } catch (const Poco::Exception&) {
  }
  return rpc;
}

std::string event(const std::string& json) { return "event: message\ndata: " + json + "\n\n"; }

std::string notification(const std::string& text) {
  return R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":")" + text + R"("}})";
}

std::string result(const std::string& id, const std::string& text) {
  return R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":{"text":")" + text + R"("}})";
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(RecordingMcpServer& owner) : owner_(owner) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    RecordingMcpServer::Request recorded{request.getMethod(), {}, {}};
    for (const auto& [name, value] : request) recorded.headers.emplace_back(name, value);
    Poco::StreamCopier::copyToString(request.stream(), recorded.body);
    owner_.record(recorded);
    Rpc rpc = rpc_of(recorded.body);
    if (request.getMethod() == "GET") rpc.method = "stream";
    if (request.getMethod() == "DELETE") rpc.method = "json";

    if (rpc.method == "refuse") {
      response.set("WWW-Authenticate", R"(Bearer error="invalid_token")");
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
      response.setContentType("application/json");
      response.sendBuffer("{}", 2);
      return;
    }
    response.set("Mcp-Session-Id", "session-from-upstream");
    if (rpc.method != "stream" && rpc.method != "cut" && rpc.method != "ticks") {
      response.set("MCP-Protocol-Version", "2025-06-18");
      response.set("Set-Cookie", "upstream_session=secret-cookie; Path=/");
      response.set("WWW-Authenticate", R"(Bearer realm="upstream")");
      response.set("X-Upstream-Private", "internal");
      response.setContentType("application/json");
      const std::string body = result(rpc.id, "json answer");
      response.sendBuffer(body.data(), body.size());
      return;
    }
    response.setContentType("text/event-stream");
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    out << event(notification("first")) << std::flush;
    if (rpc.method == "stream") {
      owner_.wait_for_gate(30s);  // longer than the test clients wait for a byte
      out << event(result(rpc.id, "streamed answer")) << std::flush;
    } else if (rpc.method == "cut") {
      // Gone without the end of the stream (shut down: Poco would otherwise end it properly).
      dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().shutdown();
    } else {
      for (int tick = 0; tick < 500 && out.good(); ++tick) {
        std::this_thread::sleep_for(20ms);
        out << event(notification("tick")) << std::flush;
      }
      if (!out.good()) owner_.note_reader_left();
    }
  }

 private:
  RecordingMcpServer& owner_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(RecordingMcpServer& owner) : owner_(owner) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(owner_);
  }

 private:
  RecordingMcpServer& owner_;
};

}  // namespace

std::string RecordingMcpServer::Request::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (Poco::icompare(key, name) == 0) return value;
  return "";
}

bool RecordingMcpServer::Request::has(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (Poco::icompare(key, name) == 0) return true;
  return false;
}

RecordingMcpServer::RecordingMcpServer() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
  socket.listen();
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool_, socket, params);
  server_->start();
}

RecordingMcpServer::~RecordingMcpServer() {
  open_gate();  // no handler waits on
  server_->stopAll(true);
  pool_.joinAll();  // no handler runs on past this object
}

uint16_t RecordingMcpServer::port() const { return server_->socket().address().port(); }

std::string RecordingMcpServer::url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/mcp"; }

std::vector<RecordingMcpServer::Request> RecordingMcpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void RecordingMcpServer::open_gate() {
  std::lock_guard lock(mutex_);
  gate_open_ = true;
  changed_.notify_all();
}

bool RecordingMcpServer::reader_left_within(std::chrono::milliseconds limit) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [this] { return reader_left_; });
}

void RecordingMcpServer::record(Request request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
}

bool RecordingMcpServer::wait_for_gate(std::chrono::milliseconds limit) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [this] { return gate_open_; });
}

void RecordingMcpServer::note_reader_left() {
  std::lock_guard lock(mutex_);
  reader_left_ = true;
  changed_.notify_all();
}

}  // namespace mcpauth::test
