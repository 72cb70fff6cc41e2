// The tokens of one (server, user), as stored: the expiry is absolute (a relative expires_in
// read back after a restart would make a stale token look fresh).
#pragma once

#include "plugin_support/json_reading.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mcpauth::oauth21 {

struct TokenSet {
  std::string access_token;
  std::string token_type = "Bearer";
  std::string refresh_token;  // "" when the AS issued none
  int64_t expires_at_ms = 0;  // 0: the AS gave no lifetime
  int64_t obtained_at_ms = 0;
  std::vector<std::string> scopes;
  std::string issuer;     // the AS that issued them: never sent to another
  std::string client_id;  // the client they were issued to
  std::string resource;

  bool expires_within(int64_t now_ms, int64_t margin_ms) const {
    return expires_at_ms != 0 && now_ms + margin_ms >= expires_at_ms;
  }
  // Due for a refresh: within the margin of its expiry, the margin being at most half the
  // token's lifetime (else a token shorter-lived than the margin would be refreshed on every use).
  bool needs_refresh(int64_t now_ms, int64_t margin_ms) const {
    return expires_within(now_ms, std::min(margin_ms, (expires_at_ms - obtained_at_ms) / 2));
  }

  std::string to_json() const;
  static std::optional<TokenSet> from_json(const std::string& text);
};

// Reads a successful token endpoint response (RFC 6749 section 5.1). `previous` supplies what the
// response may leave out: the refresh token (kept when none is returned) and the scopes.
// Throws sdk::Error(MCPAUTH_ERR_NETWORK) when the response has no usable access token.
TokenSet read_token_response(const plugin_support::JsonObject& body, int64_t now_ms,
                             const std::vector<std::string>& requested_scopes, const TokenSet* previous);

}  // namespace mcpauth::oauth21
