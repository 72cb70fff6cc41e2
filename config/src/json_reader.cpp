#include "mcpauth/config/document.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace mcpauth::config {

Poco::Dynamic::Var parse_json(std::string_view text, const std::string& file) {
  Poco::JSON::Parser parser;
  parser.setDepth(kMaxDepth);
  // A UTF-8 byte order mark; yaml-cpp skips it by itself.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  try {
    return parser.parse(std::string(text));
  } catch (const Poco::Exception& e) {
    // Poco's parser reports no line or column.
    throw ConfigError({file}, "invalid JSON: " + e.message());
  }
}

}  // namespace mcpauth::config
