// The answer to one message POSTed over Streamable HTTP, read until it is complete (not part of the
// library's API). An event stream may end before the request's response: MCP 2025-11-25 lets a
// server close it once it has sent an event id (to be polled instead), and a connection can just
// break. Such a stream is resumed with a GET carrying Last-Event-ID, after the wait the server asked
// for (its `retry` field), until the response has come.
#pragma once

#include "mcpauth/mcp/transport.h"
#include "mcpauth/mcp/upstream.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <memory>
#include <string>

namespace mcpauth::mcp::detail {

// Sends the GET that resumes the stream after last_event_id, with the session's headers and the
// credentials; returns the answer whatever its status.
using ResumeStream = std::function<std::unique_ptr<UpstreamResponse>(const std::string& last_event_id)>;

// Delivers the messages of the 2xx answer to a POST of `message` as they arrive (see
// read_messages), resuming the event stream of a request as above. Throws TransportError (naming
// host) when a request's answer ends without its response and cannot be resumed, or when a
// resumption is refused; core::PluginError as UpstreamResponse::read and resume do.
void read_answer(UpstreamResponse& response, const Poco::JSON::Object& message, const std::string& host,
                 const MessageSink& on_message, const ResumeStream& resume);

}  // namespace mcpauth::mcp::detail
