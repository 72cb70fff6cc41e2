#include "mcpauth/mcp/client_session.h"

#include "mcpauth/config/printable.h"
#include "mcpauth/core/log.h"
#include "mcpauth/mcp/jsonrpc.h"

#include <chrono>

namespace mcpauth::mcp {
namespace {

// How long a request waits for its answer on a legacy event stream (as long as a read may wait).
constexpr auto kAnswerTimeout = std::chrono::minutes(5);
constexpr int64_t kMethodNotFound = -32601;

Poco::JSON::Object::Ptr new_message() {
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  message->set("jsonrpc", "2.0");
  return message;
}

std::string string_member(const Poco::JSON::Object& object, const std::string& name) {
  return object.has(name) && object.get(name).isString() ? object.getValue<std::string>(name) : "";
}

std::optional<int64_t> integer_id(const Poco::JSON::Object& response) {
  const Poco::Dynamic::Var id = response.get("id");
  if (!id.isInteger()) return std::nullopt;
  return id.convert<int64_t>();
}

JsonRpcError error_of(const Poco::JSON::Object& error) {
  const Poco::Dynamic::Var code = error.get("code");
  return JsonRpcError(code.isInteger() ? code.convert<int64_t>() : 0,
                      config::printable(string_member(error, "message"), 1000));
}

}  // namespace

ClientSession::ClientSession(Transport& transport, std::string client_version, NotificationHandler on_notification)
    : transport_(transport),
      client_version_(std::move(client_version)),
      on_notification_(std::move(on_notification)),
      sink_([this](const Poco::JSON::Object::Ptr& message) { handle(message); }) {
  if (transport_.answers_through_listen()) listener_ = std::thread(&ClientSession::listen, this);
}

ClientSession::~ClientSession() { close(); }

Poco::JSON::Object::Ptr ClientSession::initialize() {
  std::lock_guard one_at_a_time(initialize_mutex_);
  return initialize_once();
}

Poco::JSON::Object::Ptr ClientSession::initialize_once() {
  Poco::JSON::Object::Ptr client_info = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  client_info->set("name", "mcpauth");
  client_info->set("version", client_version_);
  Poco::JSON::Object::Ptr params = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  params->set("protocolVersion", kProtocolVersion);
  params->set("capabilities", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
  params->set("clientInfo", client_info);

  Poco::JSON::Object::Ptr result = exchange("initialize", params);
  const std::string version = string_member(*result, "protocolVersion");
  if (!is_accepted_protocol_version(version))
    throw ProtocolError("the server answered initialize with protocol version '" + config::printable(version, 40) +
                        "'; mcpauth asked for " + kProtocolVersion + " and speaks " + kOldestProtocolVersion +
                        " and later");
  notify("notifications/initialized");
  std::lock_guard lock(mutex_);
  protocol_version_ = version;
  ++generation_;
  return result;
}

Poco::JSON::Object::Ptr ClientSession::request(const std::string& method, Poco::JSON::Object::Ptr params) {
  int generation;
  {
    std::lock_guard lock(mutex_);
    if (generation_ == 0) throw std::logic_error("ClientSession::request before initialize");
    generation = generation_;
  }
  try {
    return exchange(method, params);
  } catch (const SessionExpired& e) {
    {
      std::lock_guard one_at_a_time(initialize_mutex_);
      bool current;
      {
        std::lock_guard lock(mutex_);
        current = generation_ == generation;
      }
      if (current) {  // else another request has initialized a new session meanwhile
        core::log(core::LogLevel::info, "mcp", std::string(e.what()) + "; starting a new session");
        initialize_once();
      }
    }
    return exchange(method, params);
  }
}

Poco::JSON::Object::Ptr ClientSession::exchange(const std::string& method, Poco::JSON::Object::Ptr params) {
  int64_t id;
  {
    std::lock_guard lock(mutex_);
    if (closed_) throw ProtocolError("the session is closed");
    id = next_id_++;
    answers_.emplace(id, nullptr);
  }
  struct Forget {
    ClientSession& session;
    int64_t id;
    ~Forget() {
      std::lock_guard lock(session.mutex_);
      session.answers_.erase(id);
    }
  } forget{*this, id};

  Poco::JSON::Object::Ptr message = new_message();
  message->set("id", id);
  message->set("method", method);
  if (params) message->set("params", params);
  transport_.post(to_json(message), sink_);

  const Poco::JSON::Object::Ptr response = await_answer(id, method);
  if (const Poco::JSON::Object::Ptr error = response->getObject("error")) throw error_of(*error);
  Poco::JSON::Object::Ptr result = response->getObject("result");
  if (!result) throw ProtocolError("the server's result for '" + method + "' is not a JSON object");
  return result;
}

Poco::JSON::Object::Ptr ClientSession::await_answer(int64_t id, const std::string& method) {
  std::unique_lock lock(mutex_);
  const auto answered = [&] { return answers_.at(id) != nullptr; };
  if (!transport_.answers_through_listen()) {
    // The answer to a POST has ended: the response was in it, or will never come.
    if (!answered()) throw ProtocolError("the server ended its answer to '" + method + "' without a response");
    return answers_.at(id);
  }
  if (!answered_.wait_for(lock, kAnswerTimeout, [&] { return answered() || listener_ended_ || closed_; }))
    throw ProtocolError("no answer to '" + method + "' within " +
                        std::to_string(std::chrono::seconds(kAnswerTimeout).count()) + " s");
  if (answered()) return answers_.at(id);
  throw TransportError(listener_ended_ ? *listener_ended_
                                       : "the session was closed while waiting for '" + method + "'");
}

void ClientSession::notify(const std::string& method) {
  Poco::JSON::Object::Ptr message = new_message();
  message->set("method", method);
  transport_.post(to_json(message), sink_);
}

void ClientSession::handle(const Poco::JSON::Object::Ptr& message) {
  switch (kind_of(*message)) {
    case MessageKind::response: {
      if (const std::optional<int64_t> id = integer_id(*message)) {
        std::lock_guard lock(mutex_);
        const auto awaited = answers_.find(*id);
        if (awaited != answers_.end() && !awaited->second) {
          awaited->second = message;
          answered_.notify_all();
          return;
        }
      }
      const Poco::JSON::Object::Ptr error = message->getObject("error");
      core::log(core::LogLevel::warn, "mcp",
                "a response to no request of this session" +
                    (error ? ": " + config::printable(string_member(*error, "message")) : std::string()));
      return;
    }
    case MessageKind::request:
      return answer_server_request(*message);
    case MessageKind::notification:
      if (on_notification_) on_notification_(message);
      return;
    case MessageKind::invalid:
      core::log(core::LogLevel::warn, "mcp", "ignoring a message of the server that is not JSON-RPC");
      return;
  }
}

// This client offers no capabilities: it answers ping and refuses everything else.
void ClientSession::answer_server_request(const Poco::JSON::Object& request) {
  const std::string method = request.getValue<std::string>("method");
  Poco::JSON::Object::Ptr answer = new_message();
  answer->set("id", request.get("id"));
  if (method == "ping") {
    answer->set("result", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
  } else {
    Poco::JSON::Object::Ptr error = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    error->set("code", kMethodNotFound);
    error->set("message", "Method not found: mcpauth does not offer " + method);
    answer->set("error", error);
  }
  try {
    transport_.post(to_json(answer), sink_);
  } catch (const std::exception& e) {
    core::log(core::LogLevel::warn, "mcp",
              "could not answer the server's '" + config::printable(method, 80) + "' request: " + e.what());
  }
}

void ClientSession::listen() {
  std::string why;
  try {
    transport_.listen(sink_);
    why = "the server closed its event stream";
  } catch (const std::exception& e) {
    why = e.what();
  }
  std::lock_guard lock(mutex_);
  listener_ended_ = why;
  answered_.notify_all();
}

void ClientSession::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    answered_.notify_all();
  }
  transport_.close();
  if (listener_.joinable()) listener_.join();
}

std::string ClientSession::protocol_version() const {
  std::lock_guard lock(mutex_);
  return protocol_version_;
}

}  // namespace mcpauth::mcp
