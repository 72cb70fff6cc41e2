// The per-server configuration of the oauth21 plugin (its JSON Schema is kConfigSchema).
#pragma once

#include "plugin_support/json_reading.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mcpauth::oauth21 {

extern const char* const kConfigSchema;

enum class Grant { authorization_code, client_credentials };

struct Settings {
  Grant grant = Grant::authorization_code;
  std::vector<std::string> scopes;  // configured scopes win over the challenge's and the PRM's
  std::string client_name = "mcpauth";
  std::string client_id;
  std::string client_secret;
  std::string client_metadata_url;                 // Client ID Metadata Document (used when the AS supports it)
  std::string token_endpoint_auth_method;          // "" = as registered or advertised
  std::string private_key_file;                    // private_key_jwt (ES256 / RS256)
  std::string private_key_id;                      // "kid" of the client assertion header
  plugin_support::JsonObject additional_metadata;  // merged into the registration request; may be null
  bool send_resource = true;                       // RFC 8707 `resource` (some AS, e.g. Entra, reject it)
  int64_t refresh_margin_s = 60;                   // refresh this long before expiry
  int64_t discovery_ttl_s = 3600;                  // cached discovery results live this long
  int64_t max_step_up = 2;                         // re-authorizations for insufficient_scope in a row
};

// Throws sdk::Error(MCPAUTH_ERR_CONFIG) naming the field. The host has already checked the schema.
Settings parse_settings(const std::string& config_json);

}  // namespace mcpauth::oauth21
