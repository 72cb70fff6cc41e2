#include "key_names.h"

#include <mcpauth/plugin.hpp>

#include <cstdint>

namespace mcpauth::fernet_file {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

bool is_kept(unsigned char byte) {
  return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '_' ||
         byte == '-';
}

std::string encode_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (is_kept(byte)) return std::string(1, c);
  return {'%', kHexDigits[byte >> 4], kHexDigits[byte & 0x0F]};
}

int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

// Undoes the %XX escapes. Whether the text was canonical is checked by encoding the result again.
std::optional<std::string> percent_decode(std::string_view encoded) {
  std::string decoded;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      decoded += encoded[i];
      continue;
    }
    if (encoded.size() - i < 3) return std::nullopt;
    const int high = hex_value(encoded[i + 1]), low = hex_value(encoded[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return decoded;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0, minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, code_point = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code_point = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code_point = lead & 0x07, minimum = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

// What is wrong with a key, if anything.
std::optional<std::string> key_problem(std::string_view key) {
  if (key.empty()) return "invalid key: the key is empty";
  if (key.size() > kMaxKeySize)
    return "key too long: " + std::to_string(key.size()) + " bytes, the limit is " + std::to_string(kMaxKeySize);
  if (key.find('\0') != std::string_view::npos || !is_valid_utf8(key))
    return "invalid key: keys are valid UTF-8 without NUL";
  return std::nullopt;
}

}  // namespace

std::filesystem::path key_path(std::string_view key, std::string_view suffix) {
  if (std::optional<std::string> problem = key_problem(key)) throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, *problem);
  std::filesystem::path path;
  std::string part;
  for (char c : key) {
    std::string unit = encode_byte(c);
    if (part.size() + unit.size() > kMaxNameSize) {
      path /= part;
      part.clear();
    }
    part += unit;
  }
  return path / (part + std::string(suffix));
}

std::optional<std::string> decode_entry_path(const std::filesystem::path& relative) {
  std::string encoded;
  for (const std::filesystem::path& part : relative) encoded += part.string();
  if (!encoded.ends_with(kEntrySuffix)) return std::nullopt;
  encoded.resize(encoded.size() - kEntrySuffix.size());
  std::optional<std::string> key = percent_decode(encoded);
  if (!key || key_problem(*key) || key_path(*key, kEntrySuffix) != relative) return std::nullopt;
  return key;
}

bool is_long_key_directory(std::string_view name) {
  // Parts are cut before an escape that would not fit, so they are at least kMaxNameSize - 2 long.
  return name.size() + 2 >= kMaxNameSize && name.size() <= kMaxNameSize && name.find('.') == std::string_view::npos;
}

std::string display_key(std::string_view key) {
  std::string out = "\"";
  for (char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || c == '"' || c == '\\') {
      out += "\\x";
      out += kHexDigits[byte >> 4];
      out += kHexDigits[byte & 0x0F];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace mcpauth::fernet_file
