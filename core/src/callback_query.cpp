#include "callback_query.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace mcpauth::core {
namespace {

std::string_view trim(std::string_view text) {
  const char* blanks = " \t\r\n";
  size_t first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

// Form decoding: '+' is a space. (Poco's plusAsSpace only applies after a '?' in the text, never in
// a parameter on its own.)
std::optional<std::string> decoded(std::string_view raw) {
  std::string text(raw);
  std::replace(text.begin(), text.end(), '+', ' ');
  std::string out;
  try {
    Poco::URI::decode(text, out);
  } catch (const Poco::Exception&) {  // a broken %-escape
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<std::string> query_parameter(std::string_view raw_query, std::string_view name) {
  while (!raw_query.empty()) {
    size_t end = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, end);
    raw_query = end == std::string_view::npos ? std::string_view{} : raw_query.substr(end + 1);
    size_t equals = pair.find('=');
    std::optional<std::string> key = decoded(pair.substr(0, equals));
    if (!key || *key != name) continue;
    return equals == std::string_view::npos ? std::string() : decoded(pair.substr(equals + 1));
  }
  return std::nullopt;
}

std::optional<std::string> query_of_pasted_line(std::string_view line) {
  std::string_view text = trim(line);
  if (text.empty()) return std::nullopt;
  if (text.find("://") != std::string_view::npos) {
    size_t question = text.find('?');
    if (question == std::string_view::npos) return std::string();
    text = text.substr(question + 1);
  } else if (text.front() == '?') {
    text.remove_prefix(1);
  }
  return std::string(text.substr(0, text.find('#')));  // a fragment is never part of the query
}

}  // namespace mcpauth::core
