#include "mcpauth/mcp/sse_parser.h"

#include <algorithm>
#include <utility>

namespace mcpauth::mcp {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

SseParser::SseParser(Sink sink, std::size_t max_event_bytes)
    : sink_(std::move(sink)), max_event_bytes_(max_event_bytes) {}

void SseParser::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;  // the rest of a "\r\n" line end
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      take_line(line_);
      line_.clear();
      continue;
    }
    line_ += c;
    if (at_stream_start_ && line_.size() == kBom.size()) {
      at_stream_start_ = false;
      if (line_ == kBom) line_.clear();
    }
    if (line_.size() > max_event_bytes_)
      throw SseTooLarge("an event-stream line is longer than " + std::to_string(max_event_bytes_) + " bytes");
  }
}

void SseParser::take_line(std::string_view line) {
  at_stream_start_ = false;
  if (line.empty()) return dispatch();
  if (line.front() == ':') return;  // a comment (servers send them to keep the connection open)
  const std::size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
    if (data_.size() > max_event_bytes_)
      throw SseTooLarge("an event's data is longer than " + std::to_string(max_event_bytes_) + " bytes");
  } else if (field == "event") {
    type_ = value;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = value;  // the standard ignores ids with NUL
  } else if (field == "retry") {
    if (all_digits(value)) retry_ms_ = std::stol(std::string(value));
  }  // other fields are ignored
}

// A blank line ends the event; one without data is dropped, as the standard says.
void SseParser::dispatch() {
  if (has_data_) {
    SseEvent event;
    if (!type_.empty()) event.type = type_;
    event.data = std::move(data_);
    event.id = last_id_;
    event.retry_ms = retry_ms_;
    sink_(event);
  }
  data_.clear();
  has_data_ = false;
  type_.clear();
  retry_ms_.reset();
}

}  // namespace mcpauth::mcp
