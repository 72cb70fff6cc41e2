#include "plugin_support/token_metadata.h"

#include "plugin_support/scopes.h"
#include "plugin_support/unix_time.h"

#include <mcpauth/plugin.hpp>

#include <Poco/JSON/Array.h>

namespace mcpauth::plugin_support {
namespace {

constexpr const char* kScopesShape = "the metadata's scopes must be a list of strings or a space-separated string";

[[noreturn]] void refuse(const std::string& reason) { throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, reason); }

bool present(const JsonObject& object, const std::string& key) { return object->has(key) && !object->isNull(key); }

std::vector<std::string> read_scopes(const Poco::Dynamic::Var& value) {
  if (value.isString()) return split_scopes(value.extract<std::string>());
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) refuse(kScopesShape);
  std::vector<std::string> scopes;
  for (const Poco::Dynamic::Var& item : *value.extract<Poco::JSON::Array::Ptr>()) {
    if (!item.isString()) refuse(kScopesShape);
    scopes.push_back(item.extract<std::string>());
  }
  return scopes;
}

}  // namespace

TokenMetadata parse_metadata(std::string_view metadata_json) {
  if (metadata_json.size() > kMaxMetadataBytes)
    refuse("the token's metadata is more than " + std::to_string(kMaxMetadataBytes) + " bytes of JSON");
  TokenMetadata metadata;
  metadata.object = metadata_json.empty() ? JsonObject(new Poco::JSON::Object) : parse_object(metadata_json);
  if (!metadata.object) refuse("the token's metadata is not a JSON object");
  if (present(metadata.object, "expires_at")) {
    metadata.expires_at = unix_seconds(metadata.object->get("expires_at"));
    if (!metadata.expires_at)
      refuse("the metadata's expires_at must be a number of Unix seconds from 0 to " + std::to_string(kMaxUnixSeconds));
  }
  if (present(metadata.object, "scopes")) metadata.scopes = read_scopes(metadata.object->get("scopes"));
  return metadata;
}

void require_unexpired(const TokenMetadata& metadata, int64_t now_s) {
  if (metadata.expires_at && *metadata.expires_at <= now_s)
    refuse("the metadata's expires_at (" + iso_time(*metadata.expires_at) + ") has passed");
}

}  // namespace mcpauth::plugin_support
