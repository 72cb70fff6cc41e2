#include "settings.h"

#include "plugin_support/json_reading.h"

#include <mcpauth/plugin.hpp>

namespace mcpauth::oauth21 {

using namespace plugin_support;

// callback_port, callback_host and callback_timeout_s are read by the host, which runs the
// loopback callback server; they are listed here so that the schema accepts them.
const char* const kConfigSchema = R"({
  "type": "object",
  "description": "The client side of the MCP authorization specification; what Atlas's oauth_config maps to. See plugins/oauth21/README.md.",
  "additionalProperties": false,
  "properties": {
    "grant": {"enum": ["authorization_code", "client_credentials"], "default": "authorization_code",
      "description": "authorization_code: users sign in in a browser. client_credentials: a service account, no browser; needs client_id and client_secret or private_key_file."},
    "scopes": {"type": "array", "items": {"type": "string", "minLength": 1},
      "description": "The scopes to ask for (Atlas's space-separated string arrives as a list). Absent: the scope of the server's 401 challenge, else the protected resource metadata's scopes_supported. offline_access is added when the authorization server lists it."},
    "client_name": {"type": "string", "minLength": 1, "default": "mcpauth",
      "description": "The name sent with dynamic client registration. Through Atlas's oauth_config it defaults to Atlas UI 3."},
    "client_id": {"type": "string", "minLength": 1,
      "description": "A pre-registered client: no registration is made. Absent: client_metadata_url where the authorization server supports it, else the client registered before with this authorization server for the same redirect URI, else a new dynamic registration."},
    "client_secret": {"type": "string", "minLength": 1,
      "description": "The secret of client_id (which it needs). Absent: a public client, unless private_key_file is set. Use ${VAR}, not a literal secret."},
    "client_metadata_url": {"type": "string", "pattern": "^https://[^/]+/.+",
      "description": "The https URL of a Client ID Metadata Document, used as the client id when there is no client_id and the authorization server advertises client_id_metadata_document_supported."},
    "token_endpoint_auth_method": {"enum": ["none", "client_secret_post", "client_secret_basic", "private_key_jwt"],
      "description": "How the configured client_id authenticates at the token endpoint. Absent: private_key_jwt with private_key_file, none without client_secret, else client_secret_basic unless the authorization server lists only client_secret_post. A registered client uses what its registration returned."},
    "private_key_file": {"type": "string", "minLength": 1,
      "description": "A PEM private key for private_key_jwt (EC P-256 signs ES256, RSA of at least 2048 bits RS256); needs client_id. ~ is expanded by the host."},
    "private_key_id": {"type": "string", "minLength": 1,
      "description": "The kid put in the client assertion's header. Absent: no kid."},
    "additional_metadata": {"type": "object",
      "description": "Fields merged into the dynamic client registration request. client_name, redirect_uris, grant_types, response_types, token_endpoint_auth_method, application_type, and scope when scopes is set, are always mcpauth's."},
    "send_resource": {"type": "boolean", "default": true,
      "description": "Send the RFC 8707 resource parameter (the server's URL) with authorization, token and refresh requests. false for authorization servers that reject it (Microsoft Entra)."},
    "refresh_margin_s": {"type": "integer", "minimum": 0, "maximum": 86400, "default": 60,
      "description": "Seconds before their expiry at which tokens are refreshed (at most half the token's lifetime)."},
    "discovery_ttl_s": {"type": "integer", "minimum": 0, "maximum": 604800, "default": 3600,
      "description": "Seconds discovery results, kept in the server's store, are reused before they are fetched again. A challenge that names other resource metadata discards them at once."},
    "max_step_up": {"type": "integer", "minimum": 0, "maximum": 10, "default": 2,
      "description": "New authorizations in a row for a 403 insufficient_scope (asking for the scopes held plus those asked for) before giving up."},
    "callback_port": {"type": "integer", "minimum": 1, "maximum": 65535,
      "description": "Read by the host: the port of the loopback callback of mcpauth login (and of call, tools and proxy when they sign in), http://127.0.0.1:PORT/callback; --callback-port wins. Absent: the port of the last sign-in, else any free port."},
    "callback_host": {"enum": ["127.0.0.1", "localhost"], "default": "127.0.0.1",
      "description": "Read by the host: the host name of the loopback callback's address given to the authorization server. It listens on 127.0.0.1 either way."},
    "callback_timeout_s": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 300,
      "description": "Read by the host: seconds mcpauth login (and call, tools and proxy when they sign in) waits for the browser to come back; --timeout wins."}
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
