// MCP's Streamable HTTP transport (specification 2025-03-26 and later), client side: every
// JSON-RPC message is a POST to the one MCP endpoint, answered by JSON, by an SSE stream, or by
// 202 with nothing; a GET opens a stream for the server's own messages; DELETE ends the session.
// Each request carries the credentials of the server's auth plugin (send_authenticated).
#pragma once

#include "mcpauth/mcp/transport.h"

#include <mutex>
#include <optional>
#include <string>

namespace mcpauth::mcp {

class StreamableHttpTransport final : public Transport {
 public:
  StreamableHttpTransport(std::string url, Authentication authentication);
  ~StreamableHttpTransport() override;

  // POSTs with Accept: application/json, text/event-stream. The session state follows the
  // messages: posting an `initialize` request starts over (no session id sent); the answer's
  // Mcp-Session-Id header is kept, and the protocolVersion of the answer to initialize becomes the
  // MCP-Protocol-Version header; both go with every later request. A 404 while a session id is held
  // throws SessionExpired. The answer is read to its end: an SSE answer stays open until the server
  // closes it (normally after the response), and its events reach on_message one by one. An SSE
  // answer to a request that ends or breaks before the response, after an event id, is resumed
  // with GET and Last-Event-ID (after the server's `retry` wait) until the response comes; one that
  // cannot be resumed, or a JSON answer without the response, throws TransportError.
  void post(const std::string& message_json, const MessageSink& on_message) override;

  // GET with Accept: text/event-stream; false when the server answers 404 or 405 (no stream, or
  // no longer this session: the next post() says which).
  bool listen(const MessageSink& on_message) override;

  bool answers_through_listen() const override { return false; }

  // DELETE with the session id (a 404 or 405 answer is fine), then forgets the session. Stops a
  // running listen().
  void close() override;

  // The session the server gave, if any, and the negotiated protocol version, if any.
  std::optional<std::string> session_id() const;
  std::optional<std::string> protocol_version() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcpauth::mcp
