#include "settings.h"

#include "plugin_support/json_reading.h"

#include <mcpauth/plugin.hpp>

namespace mcpauth::manual_jwt {

using namespace plugin_support;

Settings parse_settings(const std::string& config_json) {
  JsonObject config = parse_object(config_json);
  std::optional<std::string> type = get_string(config, "auth_type");
  Settings settings;
  if (type == "bearer")
    settings.auth_type = AuthType::bearer;
  else if (type == "jwt")
    settings.auth_type = AuthType::jwt;
  else if (type == "api_key")
    settings.auth_type = AuthType::api_key;
  else
    throw sdk::Error(MCPAUTH_ERR_CONFIG, "auth_type must be bearer, jwt or api_key");
  settings.auth_token = get_string(config, "auth_token");
  settings.header_name = get_string(config, "auth_header")
                             .value_or(settings.auth_type == AuthType::api_key ? "X-API-Key" : "Authorization");
  return settings;
}

const char* auth_type_name(AuthType type) {
  switch (type) {
    case AuthType::bearer:
      return "bearer";
    case AuthType::jwt:
      return "jwt";
    case AuthType::api_key:
      return "api_key";
  }
  return "bearer";
}

}  // namespace mcpauth::manual_jwt
