// Reading MCP servers' HTTP answers: what both transports share (not part of the library's API).
#pragma once

#include "mcpauth/mcp/sse_parser.h"
#include "mcpauth/mcp/transport.h"
#include "mcpauth/mcp/upstream.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>
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

}  // namespace mcpauth::mcp::detail
