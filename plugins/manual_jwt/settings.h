// The per-server settings of the manual_jwt plugin: the JSON Schema the host validates against
// (the Atlas fields auth_type, auth_token, auth_header), and the parsed form.
#pragma once

#include <optional>
#include <string>

namespace mcpauth::manual_jwt {

// The header pattern is an HTTP field name (RFC 9110 token).
inline constexpr const char* kConfigSchema = R"({
  "type": "object",
  "description": "A token uploaded by an admin or a user, or set here; see plugins/manual_jwt/README.md.",
  "additionalProperties": false,
  "required": ["auth_type"],
  "properties": {
    "auth_type": {"enum": ["bearer", "jwt", "api_key"],
                  "description": "jwt: a JWT, checked; bearer: any token; both sent as 'Bearer <token>'. api_key: the token alone."},
    "auth_token": {"type": "string", "minLength": 1,
                   "description": "A server-level token, used when nobody stored one. Use ${VAR}, not a literal."},
    "auth_header": {"type": "string", "minLength": 1, "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
                    "description": "The header carrying the token: default Authorization, X-API-Key for api_key."}
  }
})";

enum class AuthType { bearer, jwt, api_key };

struct Settings {
  AuthType auth_type = AuthType::bearer;
  std::optional<std::string> auth_token;  // secret
  std::string header_name;                // with the default of the auth type filled in
};

// config_json has already passed the schema. Throws sdk::Error(MCPAUTH_ERR_CONFIG).
Settings parse_settings(const std::string& config_json);

// "bearer", "jwt", "api_key".
const char* auth_type_name(AuthType type);

}  // namespace mcpauth::manual_jwt
