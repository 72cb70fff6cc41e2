#include "memory_exchange.h"

namespace mcpauth::fuzz {

std::ostream& MemoryResponse::send() {
  sent_ = true;
  return body_;
}

void MemoryResponse::sendBuffer(const void* buffer, std::size_t length) {
  send().write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
}

void MemoryResponse::redirect(const std::string& uri, HTTPStatus status) {
  setStatusAndReason(status);
  set("Location", uri);
  send();
}

bool MemoryRequest::parse(std::string_view text) {
  const std::size_t line_end = text.find('\n');
  const std::string_view request_line = text.substr(0, line_end);
  const std::size_t space = request_line.find(' ');
  if (space == std::string_view::npos || line_end == std::string_view::npos) return false;
  setMethod(std::string(request_line.substr(0, space)));
  setURI(std::string(request_line.substr(space + 1)));
  text.remove_prefix(line_end + 1);
  while (!text.empty() && text.front() != '\n') {
    const std::string_view line = text.substr(0, text.find('\n'));
    text.remove_prefix(std::min(text.size(), line.size() + 1));
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (value.starts_with(' ')) value.remove_prefix(1);
    add(std::string(line.substr(0, colon)), std::string(value));
  }
  if (!text.empty()) text.remove_prefix(1);  // the blank line
  // Content-Length as the body really is (what Poco's request reader would enforce).
  if (!text.empty()) setContentLength64(static_cast<Poco::Int64>(text.size()));
  body_.str(std::string(text));
  return true;
}

}  // namespace mcpauth::fuzz
