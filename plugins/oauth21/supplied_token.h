// An access token supplied from outside through store_token (ABI 1.1), such as a user's own token
// pasted on the web page, rather than obtained here. No authorization server this plugin knows
// issued it, so it is kept without issuer, client or refresh token: it is used until it expires,
// never refreshed, and never sent to an authorization server (logout only deletes it).
#pragma once

#include "token_set.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mcpauth::oauth21 {

inline constexpr std::size_t kMaxSuppliedTokenBytes = 16 * 1024;

// The tokens to keep: the token as a Bearer access token, with the expiry and scopes of the
// metadata (plugin_support/token_metadata.h), obtained at now_ms. Throws
// sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT) when the token is not an RFC 6750 b64token of at most
// kMaxSuppliedTokenBytes, or the metadata is unreadable or has expired; the message never quotes
// the token.
TokenSet read_supplied_token(std::string_view token, std::string_view metadata_json, int64_t now_ms);

}  // namespace mcpauth::oauth21
