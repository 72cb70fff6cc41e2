#include "metadata.h"

#include "unix_time.h"

#include <mcpauth/plugin.hpp>

namespace mcpauth::manual_jwt {

TokenMetadata parse_metadata(std::string_view metadata_json) {
  if (metadata_json.size() > kMaxMetadataBytes)
    throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT,
                     "the token's metadata is more than " + std::to_string(kMaxMetadataBytes) + " bytes of JSON");
  TokenMetadata metadata;
  metadata.object = metadata_json.empty() ? JsonObject(new Poco::JSON::Object) : parse_object(metadata_json);
  if (!metadata.object) throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "the token's metadata is not a JSON object");
  if (metadata.object->has("expires_at") && !metadata.object->isNull("expires_at")) {
    metadata.expires_at = unix_seconds(metadata.object->get("expires_at"));
    if (!metadata.expires_at)
      throw sdk::Error(
          MCPAUTH_ERR_INVALID_ARGUMENT,
          "the metadata's expires_at must be a number of Unix seconds from 0 to " + std::to_string(kMaxUnixSeconds));
  }
  return metadata;
}

}  // namespace mcpauth::manual_jwt
