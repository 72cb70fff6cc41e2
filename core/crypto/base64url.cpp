#include "crypto/base64url.h"

#include <array>

namespace mcpauth::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Character -> 6-bit value, or -1 for anything outside the alphabet.
constexpr std::array<int8_t, 256> kValues = [] {
  std::array<int8_t, 256> values{};
  values.fill(-1);
  for (int i = 0; i < 64; ++i) values[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return values;
}();

}  // namespace

std::string base64url_encode(std::span<const uint8_t> data) {
  std::string out((data.size() + 2) / 3 * 4, '=');
  char* p = out.data();
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3, p += 4) {
    const uint32_t v = uint32_t{data[i]} << 16 | uint32_t{data[i + 1]} << 8 | data[i + 2];
    p[0] = kAlphabet[v >> 18];
    p[1] = kAlphabet[v >> 12 & 63];
    p[2] = kAlphabet[v >> 6 & 63];
    p[3] = kAlphabet[v & 63];
  }
  if (const size_t rest = data.size() - i; rest > 0) {  // the '=' are already in place
    const uint32_t v = uint32_t{data[i]} << 16 | (rest == 2 ? uint32_t{data[i + 1]} << 8 : 0);
    p[0] = kAlphabet[v >> 18];
    p[1] = kAlphabet[v >> 12 & 63];
    if (rest == 2) p[2] = kAlphabet[v >> 6 & 63];
  }
  return out;
}

std::optional<std::vector<uint8_t>> base64url_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;

  std::vector<uint8_t> out(text.size() / 4 * 3 - padding);
  uint8_t* p = out.data();
  int invalid = 0;  // accumulates the sign bit of kValues' -1, so the loop has no branch
  auto value = [&](char c) {
    const int8_t v = kValues[static_cast<uint8_t>(c)];
    invalid |= v;
    return static_cast<uint32_t>(v) & 63;
  };
  const size_t full_groups = (text.size() - padding) / 4;
  for (const char* c = text.data(); c < text.data() + 4 * full_groups; c += 4, p += 3) {
    const uint32_t v = value(c[0]) << 18 | value(c[1]) << 12 | value(c[2]) << 6 | value(c[3]);
    p[0] = static_cast<uint8_t>(v >> 16);
    p[1] = static_cast<uint8_t>(v >> 8);
    p[2] = static_cast<uint8_t>(v);
  }
  // A padded final group carries 1 byte (2 characters) or 2 bytes (3 characters). The bits
  // below them must be zero, or several texts would decode to the same bytes.
  if (padding > 0) {
    const char* c = text.data() + 4 * full_groups;
    const uint32_t v = value(c[0]) << 18 | value(c[1]) << 12 | (padding == 1 ? value(c[2]) << 6 : 0);
    if ((v & (padding == 1 ? 0xFF : 0xFFFF)) != 0) return std::nullopt;
    p[0] = static_cast<uint8_t>(v >> 16);
    if (padding == 1) p[1] = static_cast<uint8_t>(v >> 8);
  }
  if (invalid < 0) return std::nullopt;
  return out;
}

}  // namespace mcpauth::crypto
