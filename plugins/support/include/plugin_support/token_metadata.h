// The metadata handed to store_token (ABI 1.1) with a token: a JSON object such as
// {"expires_at": <Unix s>, "scopes": ["read", "write"]}, other members kept as they are.
#pragma once

#include "plugin_support/json_reading.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::plugin_support {

inline constexpr std::size_t kMaxMetadataBytes = 16 * 1024;

struct TokenMetadata {
  JsonObject object;                  // as given ("" counts as {})
  std::optional<int64_t> expires_at;  // Unix seconds
  std::vector<std::string> scopes;    // from a list of strings or a space-separated string
};

// Throws sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT), naming the field, when it is not a JSON object
// of at most kMaxMetadataBytes, its expires_at is not a number of Unix seconds, or its scopes are
// neither a list of strings nor a string. A null member counts as absent.
TokenMetadata parse_metadata(std::string_view metadata_json);

// Throws sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT) when expires_at is not after now_s.
void require_unexpired(const TokenMetadata& metadata, int64_t now_s);

}  // namespace mcpauth::plugin_support
