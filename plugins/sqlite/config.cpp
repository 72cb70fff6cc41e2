#include "config.h"

#include <mcpauth/plugin.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace mcpauth::sqlite {

Config parse_config(const std::string& json) {
  Config config;
  try {
    auto object = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    if (!object->has("path")) throw sdk::Error(MCPAUTH_ERR_CONFIG, "the sqlite storage needs a \"path\"");
    // Relative paths are resolved once, here, so that later messages and the key file's
    // default location do not depend on the working directory of the moment.
    config.path = std::filesystem::absolute(object->getValue<std::string>("path"));
    config.encryption_key_env = object->optValue("encryption_key_env", config.encryption_key_env);
    // "~" is already expanded by the host's config loader.
    std::string key_file = object->optValue<std::string>("key_file", "");
    config.key_file =
        key_file.empty() ? config.path.parent_path() / ".encryption_key" : std::filesystem::absolute(key_file);
    config.busy_timeout_ms = object->optValue("busy_timeout_ms", config.busy_timeout_ms);
    config.strict_permissions = object->optValue("strict_permissions", config.strict_permissions);
    config.lock_lease_ms = object->optValue("lock_lease_ms", config.lock_lease_ms);
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception& e) {  // Poco's parse and conversion errors
    throw sdk::Error(MCPAUTH_ERR_CONFIG, std::string("invalid sqlite storage config: ") + e.what());
  }
  if (config.path.filename().empty()) throw sdk::Error(MCPAUTH_ERR_CONFIG, "path must name a file, not a directory");
  // The schema says so too; repeated because a lease of 0 would make the renewal thread spin.
  if (config.lock_lease_ms < 100) throw sdk::Error(MCPAUTH_ERR_CONFIG, "lock_lease_ms must be at least 100");
  return config;
}

}  // namespace mcpauth::sqlite
