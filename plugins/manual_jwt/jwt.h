// The form of a JWT (RFC 7519 in JWS compact serialization): three base64url segments, a JSON
// header with a signing alg, JSON claims. The signature is not verified: the MCP server that
// receives the token does that; this only refuses what cannot be a usable JWT.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpauth::manual_jwt {

// What a token says about itself (all absent for opaque tokens).
struct TokenClaims {
  std::optional<int64_t> exp;  // Unix seconds
  std::optional<std::string> issuer, subject;
};

// Throws sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT) saying what is wrong, never quoting the token.
// Expiry is not judged here (exp is returned); nbf is tolerated.
TokenClaims read_jwt(std::string_view token);

}  // namespace mcpauth::manual_jwt
