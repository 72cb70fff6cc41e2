// Whether the answer to one JSON-RPC request has passed in an event stream that the gateway
// forwards untouched: when the MCP server ends or cuts the stream before it, in a way the client
// cannot resume (no event ids), the gateway tells the client with an error for that request
// instead of leaving it waiting for an answer that will never come.
#pragma once

#include "mcpauth/mcp/sse_parser.h"

#include <Poco/Dynamic/Var.h>

#include <string_view>

namespace mcpauth::api {

class SseAnswerWatch {
 public:
  explicit SseAnswerWatch(Poco::Dynamic::Var request_id);

  // The next bytes of the stream, as forwarded.
  void see(std::string_view bytes);
  // True while no response (result or error) with the request's id went by, no event carried an
  // id (with one, the client may resume the stream with Last-Event-ID and get the answer then),
  // and the stream could be followed (no event past the parser's limit).
  bool unanswered() const { return !answered_ && !lost_ && parser_.last_event_id().empty(); }

 private:
  Poco::Dynamic::Var id_;
  bool answered_ = false;
  bool lost_ = false;
  mcp::SseParser parser_;
};

}  // namespace mcpauth::api
