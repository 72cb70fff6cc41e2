// What the MCP client core needs from a transport to an MCP server: send one JSON-RPC message,
// receive the server's messages as they arrive. Request/response matching is not the transport's
// job (see client_session.h), so `mcpauth proxy` can pass messages through as they are.
#pragma once

#include "mcpauth/mcp/upstream.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace mcpauth::mcp {

// Receives one JSON-RPC message (request, notification or response) of the server, parsed.
using MessageSink = std::function<void(const Poco::JSON::Object::Ptr& message)>;

// The server refused the request: an HTTP error status, an answer that is not MCP, or a message
// that is not JSON-RPC. The message names the server's host and the status, never a credential.
class TransportError : public std::runtime_error {
 public:
  TransportError(const std::string& message, int http_status = 0)
      : std::runtime_error(message), http_status_(http_status) {}
  int http_status() const noexcept { return http_status_; }  // 0 when the server answered none

 private:
  int http_status_;
};

// The server answered 404 to a request carrying its Mcp-Session-Id: the session is gone, and the
// client must initialize a new one (the transport has forgotten the old id).
class SessionExpired : public TransportError {
 public:
  using TransportError::TransportError;
};

// Thread rules, for every implementation: post() may run on several threads at once and while
// another thread is in listen(); close() may be called from any thread, also while post() or
// listen() are running (they then end with an error or return). A sink may call post() (to answer
// a server's request), but must not call close() of a transport it is delivered from.
class Transport {
 public:
  virtual ~Transport() = default;

  // Sends one JSON-RPC message (a JSON object). Every message of the answer goes to on_message on
  // this thread as soon as it has arrived, before post() returns; an answer may carry several
  // (notifications before a response). Throws MessageFormatError (jsonrpc.h) when message_json is
  // not a JSON object, SessionExpired, TransportError, and core::PluginError from the request
  // (network, timeout, authorization required).
  virtual void post(const std::string& message_json, const MessageSink& on_message) = 0;

  // Reads the server's stream of messages that belong to no POST, handing each to on_message on
  // this thread, until the stream ends (true) or close() (true; after close(), at once). False at
  // once when the server offers no such stream. Throws like post(), also when the stream breaks or
  // stays silent past the read timeout: the caller may listen again.
  virtual bool listen(const MessageSink& on_message) = 0;

  // True when the answers to post() come through listen() instead (legacy HTTP+SSE): then some
  // thread must be in listen() for a request to get its answer.
  virtual bool answers_through_listen() const = 0;

  // Ends the session at the server when it has one, and stops a running listen(). Never throws: a
  // server that cannot be told is only logged.
  virtual void close() = 0;
};

// The transport of a configured server: "http" (Streamable HTTP) or "sse" (legacy HTTP+SSE, url
// is the SSE endpoint). Throws std::invalid_argument for any other transport.
std::unique_ptr<Transport> make_transport(const std::string& transport, const std::string& url,
                                          Authentication authentication);

}  // namespace mcpauth::mcp
