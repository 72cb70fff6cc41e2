// What is kept in storage for one stored token, as JSON (the storage plugin encrypts it):
// {"token", "stored_at", "exp"?, "iss"?, "sub"?, "metadata"}.
#pragma once

#include "jwt.h"

#include "plugin_support/json_reading.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpauth::manual_jwt {

struct TokenRecord {
  std::string token;                    // secret
  int64_t stored_at = 0;                // Unix seconds
  TokenClaims claims;                   // exp: the earlier of the JWT's exp and the metadata's expires_at
  plugin_support::JsonObject metadata;  // as handed to store_token

  std::string to_json() const;
  // nullopt when the text is not a record (damaged, or written by something else).
  static std::optional<TokenRecord> from_json(std::string_view text);
};

}  // namespace mcpauth::manual_jwt
