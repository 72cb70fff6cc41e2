#include "resumable_answer.h"

#include "http_answers.h"

#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/mcp/jsonrpc.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

namespace mcpauth::mcp::detail {
namespace {

// The wait before resuming when the server asked for none (the TS SDK client waits as long), and
// the longest wait honoured.
constexpr long kDefaultRetryMs = 1'000;
constexpr long kLongestRetryMs = 60'000;
// Resumptions in a row that bring no new event before giving up.
constexpr int kMaxResumesWithoutProgress = 5;

// Where the answer stands.
struct AnswerState {
  std::optional<Poco::Dynamic::Var> request_id;  // none for a notification or a response
  bool answered = false;
  std::string last_event_id;  // "" until the server sends one
  std::optional<long> retry_ms;

  void see(const Poco::JSON::Object& message) {
    if (request_id && is_response_to(message, *request_id)) answered = true;
  }
  bool awaits_response() const { return request_id && !answered; }
};

// Reads one event stream to its end, delivering its messages and noting where it stood. A broken
// connection is returned (not thrown) when the stream can be resumed, and ignored once the request
// has its response.
std::optional<core::PluginError> read_stream(UpstreamResponse& response, const std::string& host, AnswerState& state,
                                             const MessageSink& on_message) {
  try {
    read_events(response, host, [&](const SseEvent& event) {
      if (!event.id.empty()) state.last_event_id = event.id;
      if (event.retry_ms) state.retry_ms = event.retry_ms;
      // An event without data (the priming event that only sets an id) carries no message.
      if (event.type != "message" || event.data.empty()) return;
      const Poco::JSON::Object::Ptr message = message_of(event.data, host);
      state.see(*message);
      on_message(message);
    });
  } catch (const core::PluginError& e) {
    if (e.status() != MCPAUTH_ERR_NETWORK) throw;
    if (state.request_id && state.answered) return std::nullopt;
    if (!state.request_id || state.last_event_id.empty()) throw;
    return e;
  }
  return std::nullopt;
}

// Opens the resumed stream; a server that will not resume it is a TransportError.
std::unique_ptr<UpstreamResponse> resumed_stream(const AnswerState& state, const std::string& host,
                                                 const ResumeStream& resume) {
  const long wait_ms = std::clamp(state.retry_ms.value_or(kDefaultRetryMs), 0L, kLongestRetryMs);
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  std::unique_ptr<UpstreamResponse> response = resume(state.last_event_id);
  const int status = response->status();
  if (status < 200 || status > 299) {
    const TransportError refused = refusal(*response, host, "GET (resuming an answer)");
    throw TransportError(std::string(refused.what()) + "; the answer ended before its response", status);
  }
  if (media_type_of(*response) != "text/event-stream")
    throw TransportError("MCP server " + host + " resumed an answer with Content-Type '" + media_type_of(*response) +
                         "', not an event stream");
  return response;
}

// An event stream, resumed until the request's response has come.
void read_event_answer(UpstreamResponse& response, const std::string& host, AnswerState& state,
                       const MessageSink& on_message, const ResumeStream& resume) {
  std::optional<core::PluginError> broken = read_stream(response, host, state, on_message);
  int fruitless = 0;
  while (state.awaits_response() && !state.last_event_id.empty()) {
    if (fruitless == kMaxResumesWithoutProgress)
      throw TransportError("MCP server " + host + " sent nothing new in " + std::to_string(fruitless) +
                           " resumed streams in a row, and no response");
    core::log(core::LogLevel::debug, "mcp",
              "MCP server " + host + (broken ? " broke" : " ended") + " an answer before its response; resuming it");
    const std::string seen = state.last_event_id;
    const std::unique_ptr<UpstreamResponse> resumed = resumed_stream(state, host, resume);
    broken = read_stream(*resumed, host, state, on_message);
    fruitless = state.last_event_id == seen ? fruitless + 1 : 0;
  }
  if (broken) throw *broken;
}

}  // namespace

void read_answer(UpstreamResponse& response, const Poco::JSON::Object& message, const std::string& host,
                 const MessageSink& on_message, const ResumeStream& resume) {
  AnswerState state;
  if (kind_of(message) == MessageKind::request) state.request_id = message.get("id");
  if (media_type_of(response) == "text/event-stream") {
    read_event_answer(response, host, state, on_message, resume);
  } else {
    read_messages(response, host, [&](const Poco::JSON::Object::Ptr& received) {
      state.see(*received);
      on_message(received);
    });
  }
  if (state.awaits_response())
    throw TransportError(
        "MCP server " + host + " ended its answer to a request without the response" +
        (media_type_of(response) == "text/event-stream" ? " (and sent no event id to resume it)" : ""));
}

}  // namespace mcpauth::mcp::detail
