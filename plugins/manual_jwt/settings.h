// The per-server settings of the manual_jwt plugin: the JSON Schema the host validates against
// (the Atlas fields auth_type, auth_token, auth_header), and the parsed form.
#pragma once

#include <optional>
#include <string>

namespace mcpauth::manual_jwt {

// The header pattern is an HTTP field name (RFC 9110 token).
inline constexpr const char* kConfigSchema = R"({
  "type": "object",
  "description": "What Atlas's auth_type bearer, jwt and api_key map to; see plugins/manual_jwt/README.md.",
  "additionalProperties": false,
  "required": ["auth_type"],
  "properties": {
    "auth_type": {"enum": ["bearer", "jwt", "api_key"],
                  "description": "jwt: a JWT, checked when stored (three base64url segments, a header alg other than none, an exp, if any, in the future; the signature is left to the server), sent as Bearer <jwt>. bearer: any token of printable ASCII without spaces, sent as Bearer <token>. api_key: as bearer, but the header's value is the token alone. Tokens are at most 16 KiB."},
    "auth_token": {"type": "string", "minLength": 1,
                   "description": "A server-level token, used when neither the user nor an admin has stored one; checked like a stored token when the server is set up (a bad one is a configuration error). Absent: a request without a stored token fails, asking for one. Use ${VAR}, not a literal secret."},
    "auth_header": {"type": "string", "minLength": 1, "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
                    "description": "The HTTP header that carries the token; with bearer and jwt its value keeps the Bearer scheme. Absent: Authorization, or X-API-Key for api_key."}
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
