// The plugin's per-server configuration: its JSON Schema and the parsed values.
#pragma once

#include <filesystem>
#include <string>

namespace mcpauth::fernet_file {

inline constexpr const char* kConfigSchema = R"({
  "type": "object",
  "description": "What Atlas's oauth_config.token_storage_path selects; see plugins/fernet_file/README.md.",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {"type": "string", "minLength": 1,
      "description": "The store directory; created with its missing parents (mode 0700) when absent. ~ is expanded by the host. Atlas's oauth_config.token_storage_path maps here."},
    "encryption_key_env": {"type": "string", "minLength": 1, "default": "OAUTH_STORAGE_ENCRYPTION_KEY",
      "description": "The environment variable holding the Fernet key, or several separated by commas (the first encrypts, any decrypts). When it is unset or empty, key_file is used."},
    "key_file": {"type": "string", "minLength": 1, "default": ".encryption_key",
      "description": "The key file used when the variable is unset or empty; generated (0600, with a warning) when missing. A relative name is relative to path; ~ is expanded by the host."},
    "strict_permissions": {"type": "boolean", "default": false,
      "description": "true: refuse a store directory or key file that group or others can access. false: log a warning."}
  }
})";

struct Settings {
  std::filesystem::path path;
  std::string key_env;
  std::filesystem::path key_file;  // path / the configured key_file (an absolute one is kept as it is)
  bool strict_permissions = false;
};

// Throws sdk::Error(MCPAUTH_ERR_CONFIG). The host has validated the JSON against kConfigSchema.
Settings parse_settings(const std::string& config_json);

}  // namespace mcpauth::fernet_file
