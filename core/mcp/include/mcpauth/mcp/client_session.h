// A JSON-RPC client session with an MCP server over a Transport: initialize, requests matched to
// their responses by id, the server's own requests answered, its notifications passed on.
#pragma once

#include "mcpauth/mcp/transport.h"

#include <Poco/JSON/Object.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace mcpauth::mcp {

// The server answered a request with a JSON-RPC error.
class JsonRpcError : public std::runtime_error {
 public:
  JsonRpcError(int64_t code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int64_t code() const noexcept { return code_; }

 private:
  int64_t code_;
};

// The server's answer broke the protocol: no response, a response without a result object, or a
// protocol version this client does not speak.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// request() may run on several threads at once. Handlers run on the thread that reads the message
// (the requesting thread, or the listener of a legacy transport) and must not call close().
class ClientSession {
 public:
  using NotificationHandler = std::function<void(const Poco::JSON::Object::Ptr& notification)>;

  // transport must outlive the session. client_version goes into clientInfo (name "mcpauth").
  // A transport whose answers come through listen() gets a listening thread from here on.
  ClientSession(Transport& transport, std::string client_version, NotificationHandler on_notification = {});
  ~ClientSession();  // close()
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // Sends initialize (protocolVersion kProtocolVersion), checks the version of the answer, sends
  // notifications/initialized; returns the server's InitializeResult. Throws ProtocolError when
  // the server's version is not accepted (is_accepted_protocol_version), and what request()
  // throws.
  Poco::JSON::Object::Ptr initialize();

  // Sends a request (params may be null) and returns its result. Throws JsonRpcError, ProtocolError,
  // and what the transport throws; a session the server no longer knows is initialized again and
  // the request sent once more. Requires initialize() first.
  Poco::JSON::Object::Ptr request(const std::string& method, Poco::JSON::Object::Ptr params = nullptr);

  // Ends the session (transport.close()); never throws.
  void close();

  // The version the server chose in initialize; "" before.
  std::string protocol_version() const;

 private:
  Poco::JSON::Object::Ptr exchange(const std::string& method, Poco::JSON::Object::Ptr params);
  Poco::JSON::Object::Ptr await_answer(int64_t id, const std::string& method);
  Poco::JSON::Object::Ptr initialize_once();
  void notify(const std::string& method);
  void handle(const Poco::JSON::Object::Ptr& message);
  void answer_server_request(const Poco::JSON::Object& request);
  void listen();

  Transport& transport_;
  const std::string client_version_;
  const NotificationHandler on_notification_;
  const MessageSink sink_;  // handle(), for the transport

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable answered_;
  int64_t next_id_ = 1;
  std::map<int64_t, Poco::JSON::Object::Ptr> answers_;  // by id; null while awaited
  std::string protocol_version_;
  int generation_ = 0;                         // how many initializations have succeeded
  std::optional<std::string> listener_ended_;  // why the legacy stream is gone, once it is
  bool closed_ = false;

  std::mutex initialize_mutex_;  // one re-initialization at a time
  std::thread listener_;
};

}  // namespace mcpauth::mcp
