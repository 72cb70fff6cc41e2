#include "sse_answer_watch.h"

#include "mcpauth/mcp/jsonrpc.h"

namespace mcpauth::api {
namespace {

// A JSON-RPC response (not a request or notification) whose id is `id`.
bool answers(const std::string& data, const Poco::Dynamic::Var& id) {
  // Notifications, most of a stream, are told without parsing them.
  if (data.find("\"result\"") == std::string::npos && data.find("\"error\"") == std::string::npos) return false;
  try {
    return mcp::is_response_to(*mcp::parse_message(data), id);
  } catch (const mcp::MessageFormatError&) {
    return false;
  }
}

}  // namespace

SseAnswerWatch::SseAnswerWatch(Poco::Dynamic::Var request_id)
    : id_(std::move(request_id)), parser_([this](const mcp::SseEvent& event) {
        if (event.type == "message" && answers(event.data, id_)) answered_ = true;
      }) {}

void SseAnswerWatch::see(std::string_view bytes) {
  if (answered_ || lost_) return;
  try {
    parser_.feed(bytes);
  } catch (const mcp::SseTooLarge&) {
    lost_ = true;  // cannot tell: adding an answer could make a second one
  }
}

}  // namespace mcpauth::api
