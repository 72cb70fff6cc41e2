#include "mcpauth/config/printable.h"

#include <cstdio>

namespace mcpauth::config {

std::string printable(std::string_view text, std::size_t max_len) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < max_len; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    }
  }
  if (text.size() > max_len) out += "...";
  return out;
}

}  // namespace mcpauth::config
