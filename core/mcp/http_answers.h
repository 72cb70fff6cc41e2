// Reading MCP servers' HTTP answers: what both transports share (not part of the library's API).
#pragma once

#include "mcpauth/mcp/sse_parser.h"
#include "mcpauth/mcp/transport.h"
#include "mcpauth/mcp/upstream.h"

#include <Poco/JSON/Object.h>

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpauth::mcp::detail {

// "host" or "host:port" of an http(s) URL (never its user info, path or query): how errors name a
// server.
std::string host_of(const std::string& url);

// The answer's Content-Type without parameters, in lower case; "" when there is none.
std::string media_type_of(const UpstreamResponse& response);

// Reads an event-stream answer to its end; each complete event goes to on_event as it arrives.
// Throws TransportError (naming host) for an event past kMaxMessageBytes.
void read_events(UpstreamResponse& response, const std::string& host, const SseParser::Sink& on_event);

// Delivers the messages of a 2xx answer to a POST as they arrive: an event stream's `message`
// events, a JSON body (one message or a batch), or nothing (an empty body). Throws TransportError
// for any other Content-Type.
void read_messages(UpstreamResponse& response, const std::string& host, const MessageSink& on_message);

// The `message` events of an event stream, to its end.
void read_message_events(UpstreamResponse& response, const std::string& host, const MessageSink& on_message);

// The JSON-RPC message of an SSE event's data / the messages of a JSON body; a TransportError
// naming host when it is none.
Poco::JSON::Object::Ptr message_of(std::string_view json, const std::string& host);
std::vector<Poco::JSON::Object::Ptr> messages_of(std::string_view json, const std::string& host);

// The error for an answer with a status the transport cannot use: names the host, the status, the
// request ("POST", "GET"...) and the server's own short explanation when its body has one.
TransportError refusal(UpstreamResponse& response, const std::string& host, const std::string& request);

// The event stream a listen() is reading, so that close() on another thread can stop it.
class ListeningStream {
 public:
  // Registers the stream for the life of the returned scope (which must end before the response
  // is destroyed); an empty scope when close() came first: the stream is not to be read then.
  class Scope {
   public:
    explicit Scope(ListeningStream* owner) : owner_(owner) {}
    Scope(Scope&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Scope& operator=(Scope&&) = delete;
    ~Scope();
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    ListeningStream* owner_;
  };
  Scope begin(UpstreamResponse& response);

  // Aborts the stream being read, if any, and every later one.
  void close();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  UpstreamResponse* response_ = nullptr;
  bool closed_ = false;
};

}  // namespace mcpauth::mcp::detail
