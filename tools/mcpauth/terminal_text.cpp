#include "terminal_text.h"

#include <cstdio>

namespace mcpauth::cli {
namespace {

void escape(std::string& out, unsigned char c) {
  char escaped[5];
  std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
  out += escaped;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9f &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80;  // U+0080..U+009F in UTF-8
    if (c < 0x20 || c == 0x7f) {
      escape(out, c);
    } else if (c1) {
      escape(out, c);
      escape(out, static_cast<unsigned char>(text[++i]));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace mcpauth::cli
