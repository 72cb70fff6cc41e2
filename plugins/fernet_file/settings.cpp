#include "settings.h"

#include <mcpauth/plugin.hpp>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace mcpauth::fernet_file {

Settings parse_settings(const std::string& config_json) {
  Settings settings;
  try {
    const auto config = Poco::JSON::Parser().parse(config_json).extract<Poco::JSON::Object::Ptr>();
    settings.path = config->getValue<std::string>("path");
    settings.key_env = config->optValue<std::string>("encryption_key_env", "OAUTH_STORAGE_ENCRYPTION_KEY");
    // operator/ keeps an absolute key_file as it is.
    settings.key_file = settings.path / config->optValue<std::string>("key_file", ".encryption_key");
    settings.strict_permissions = config->optValue<bool>("strict_permissions", false);
  } catch (const Poco::Exception& e) {
    throw sdk::Error(MCPAUTH_ERR_CONFIG, "invalid fernet_file configuration: " + e.displayText());
  }
  if (settings.path.empty()) throw sdk::Error(MCPAUTH_ERR_CONFIG, "invalid fernet_file configuration: path is empty");
  return settings;
}

}  // namespace mcpauth::fernet_file
