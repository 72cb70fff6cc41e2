// PKCE (RFC 7636) with S256, and other random values of the flow.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace mcpauth::oauth21 {

// base64url without padding, as OAuth uses it (RFC 7636 appendix A).
std::string base64url_nopad(std::span<const uint8_t> data);

// A code verifier made from 32 random bytes: 43 characters of [A-Za-z0-9-_].
std::string make_code_verifier(std::span<const uint8_t, 32> random);

// BASE64URL(SHA256(ASCII(verifier))), no padding.
std::string s256_challenge(const std::string& verifier);

// Constant-time comparison (for `state`).
bool equal_constant_time(const std::string& a, const std::string& b);

}  // namespace mcpauth::oauth21
