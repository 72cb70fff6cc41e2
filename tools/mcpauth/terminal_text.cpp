#include "terminal_text.h"

#include <cstdio>

namespace mcpauth::cli {
namespace {

void escape(std::string& out, unsigned char c) {
  char escaped[5];
  std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
  out += escaped;
}

// The length of the well-formed UTF-8 sequence at text[at] whose code point is printable (not C0,
// DEL or C1), or 0: overlong forms, surrogates, values past U+10FFFF and stray bytes are 0 too,
// so that a lone 0x9b (CSI on 8-bit terminals) is escaped like the two-byte U+009B.
size_t printable_sequence(std::string_view text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return lead >= 0x20 && lead != 0x7f ? 1 : 0;
  size_t length = 0;
  char32_t code = 0, smallest = 0;
  if (lead >= 0xc0 && lead <= 0xdf) {
    length = 2, code = lead & 0x1f, smallest = 0xa0;  // U+0080..U+009F are the C1 controls
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3, code = lead & 0x0f, smallest = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4, code = lead & 0x07, smallest = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xc0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  const bool surrogate = code >= 0xd800 && code <= 0xdfff;
  return code >= smallest && code <= 0x10ffff && !surrogate ? length : 0;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    if (const size_t length = printable_sequence(text, at); length > 0) {
      out.append(text.substr(at, length));
      at += length;
    } else {
      escape(out, static_cast<unsigned char>(text[at++]));
    }
  }
  return out;
}

}  // namespace mcpauth::cli
