// MCP's old HTTP+SSE transport (specification 2024-11-05), still served by some servers: a GET
// opens an event stream whose first `endpoint` event names the URL to POST messages to; every
// answer comes back on that stream as a `message` event. Each request carries the credentials of
// the server's auth plugin.
#pragma once

#include "mcpauth/mcp/transport.h"

#include <memory>
#include <string>

namespace mcpauth::mcp {

class LegacySseTransport final : public Transport {
 public:
  // sse_url: the server's event-stream URL (the `url` of a server with "transport": "sse").
  LegacySseTransport(std::string sse_url, Authentication authentication);
  ~LegacySseTransport() override;

  // POSTs to the endpoint that the stream named, waiting for listen() to learn it first (up to
  // the connect timeout). The answers arrive through listen(); on_message only gets messages a
  // server puts in the POST's own answer, which the specification does not do.
  void post(const std::string& message_json, const MessageSink& on_message) override;

  // GETs the stream and reads it to its end: the `endpoint` event (resolved against sse_url; it
  // must be of the same origin), then messages. A new listen() is a new session at the server.
  // Throws TransportError when the server refuses the stream: this transport cannot work without.
  bool listen(const MessageSink& on_message) override;

  bool answers_through_listen() const override { return true; }

  // Stops listen(); the server ends the session when its stream closes.
  void close() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcpauth::mcp
