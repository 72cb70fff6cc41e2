// Server-sent events read incrementally, as the WHATWG HTML standard ("Parsing an event stream")
// defines them: MCP's Streamable HTTP answers a POST with text/event-stream, and a proxy must pass
// each event on as soon as it is complete, never waiting for the whole answer.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpauth::mcp {

struct SseEvent {
  std::string type = "message";  // the "event" field; "message" when none was given
  std::string data;              // the "data" lines, joined with '\n'
  std::string id;                // the last "id" seen in the stream so far (it carries over)
  std::optional<long> retry_ms;  // a valid "retry" field of this event
};

// Thrown when one event grows past the parser's limit: the stream is not to be trusted further.
class SseTooLarge : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SseParser {
 public:
  using Sink = std::function<void(const SseEvent&)>;

  // max_event_bytes bounds one event's data and the line being read.
  explicit SseParser(Sink sink, std::size_t max_event_bytes = 4 << 20);

  // Feeds the next bytes of the stream; calls the sink for every event they complete. Lines may
  // end in "\r\n", "\n" or "\r", and any chunk boundary may fall anywhere, even inside "\r\n".
  void feed(std::string_view bytes);

  // The last event id of the stream (for Last-Event-ID when resuming).
  const std::string& last_event_id() const { return last_id_; }

 private:
  void take_line(std::string_view line);
  void dispatch();

  Sink sink_;
  std::size_t max_event_bytes_;
  std::string line_;             // the line being read
  bool after_cr_ = false;        // the last byte was '\r': a '\n' next belongs to that line end
  bool at_stream_start_ = true;  // a UTF-8 BOM is skipped there
  std::string data_;             // this event's data so far
  bool has_data_ = false;
  std::string type_;
  std::optional<long> retry_ms_;
  std::string last_id_;
};

}  // namespace mcpauth::mcp
