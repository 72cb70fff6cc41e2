// The metadata handed to store_token with a token: a JSON object such as
// {"expires_at": <Unix s>, "scopes": [...]}, kept with the token.
#pragma once

#include "json_object.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mcpauth::manual_jwt {

inline constexpr std::size_t kMaxMetadataBytes = 16 * 1024;

struct TokenMetadata {
  JsonObject object;                  // as given ("" counts as {})
  std::optional<int64_t> expires_at;  // Unix seconds
};

// Throws sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT) when it is not a JSON object of at most
// kMaxMetadataBytes, or its expires_at is not a number of Unix seconds.
TokenMetadata parse_metadata(std::string_view metadata_json);

}  // namespace mcpauth::manual_jwt
