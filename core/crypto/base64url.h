#pragma once
// Url-safe base64 (RFC 4648 section 5) with '=' padding, the encoding of Fernet keys and tokens.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::crypto {

std::string base64url_encode(std::span<const uint8_t> data);

// Accepts only the canonical encoding, the one base64url_encode produces: alphabet
// A-Z a-z 0-9 '-' '_', length a multiple of 4, at most two trailing '=', and zero
// unused bits in the last character. Anything else yields nullopt.
std::optional<std::vector<uint8_t>> base64url_decode(std::string_view text);

}  // namespace mcpauth::crypto
