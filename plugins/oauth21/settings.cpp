#include "settings.h"

#include "plugin_support/json_reading.h"

#include <mcpauth/plugin.hpp>

namespace mcpauth::oauth21 {

using namespace plugin_support;

// callback_port, callback_host and callback_timeout_s are read by the host, which runs the
// loopback callback server; they are listed here so that the schema accepts them.
const char* const kConfigSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "grant": {"enum": ["authorization_code", "client_credentials"]},
    "scopes": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "client_name": {"type": "string", "minLength": 1},
    "client_id": {"type": "string", "minLength": 1},
    "client_secret": {"type": "string", "minLength": 1},
    "client_metadata_url": {"type": "string", "pattern": "^https://[^/]+/.+"},
    "token_endpoint_auth_method": {"enum": ["none", "client_secret_post", "client_secret_basic", "private_key_jwt"]},
    "private_key_file": {"type": "string", "minLength": 1},
    "private_key_id": {"type": "string", "minLength": 1},
    "additional_metadata": {"type": "object"},
    "send_resource": {"type": "boolean"},
    "refresh_margin_s": {"type": "integer", "minimum": 0, "maximum": 86400},
    "discovery_ttl_s": {"type": "integer", "minimum": 0, "maximum": 604800},
    "max_step_up": {"type": "integer", "minimum": 0, "maximum": 10},
    "callback_port": {"type": "integer", "minimum": 1, "maximum": 65535},
    "callback_host": {"enum": ["127.0.0.1", "localhost"]},
    "callback_timeout_s": {"type": "integer", "minimum": 1, "maximum": 3600}
  }
})";

Settings parse_settings(const std::string& config_json) {
  JsonObject config = parse_object(config_json);
  if (!config) throw sdk::Error(MCPAUTH_ERR_CONFIG, "oauth21: the plugin config is not a JSON object");
  Settings settings;
  if (get_string(config, "grant").value_or("") == "client_credentials") settings.grant = Grant::client_credentials;
  settings.scopes = get_strings(config, "scopes");
  settings.client_name = get_string(config, "client_name").value_or(settings.client_name);
  settings.client_id = get_string(config, "client_id").value_or("");
  settings.client_secret = get_string(config, "client_secret").value_or("");
  settings.client_metadata_url = get_string(config, "client_metadata_url").value_or("");
  settings.token_endpoint_auth_method = get_string(config, "token_endpoint_auth_method").value_or("");
  settings.private_key_file = get_string(config, "private_key_file").value_or("");
  settings.private_key_id = get_string(config, "private_key_id").value_or("");
  settings.additional_metadata = get_object(config, "additional_metadata");
  settings.send_resource = get_bool(config, "send_resource").value_or(true);
  settings.refresh_margin_s = get_int(config, "refresh_margin_s").value_or(settings.refresh_margin_s);
  settings.discovery_ttl_s = get_int(config, "discovery_ttl_s").value_or(settings.discovery_ttl_s);
  settings.max_step_up = get_int(config, "max_step_up").value_or(settings.max_step_up);

  if (settings.grant == Grant::client_credentials) {
    if (settings.client_id.empty())
      throw sdk::Error(MCPAUTH_ERR_CONFIG, "oauth21: grant client_credentials needs client_id");
    if (settings.client_secret.empty() && settings.private_key_file.empty())
      throw sdk::Error(MCPAUTH_ERR_CONFIG, "oauth21: grant client_credentials needs client_secret or private_key_file");
  }
  if (!settings.client_secret.empty() && settings.client_id.empty())
    throw sdk::Error(MCPAUTH_ERR_CONFIG, "oauth21: client_secret is set but client_id is not");
  if (!settings.private_key_file.empty() && settings.client_id.empty())
    throw sdk::Error(MCPAUTH_ERR_CONFIG, "oauth21: private_key_file is set but client_id is not");
  return settings;
}

}  // namespace mcpauth::oauth21
