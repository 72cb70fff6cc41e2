// The plugin's per-server configuration: its JSON Schema and the parsed values.
#pragma once

#include <filesystem>
#include <string>

namespace mcpauth::fernet_file {

inline constexpr const char* kConfigSchema = R"({
  "type": "object",
  "description": "Encrypted files in a directory, one Fernet token per entry (Atlas UI 3 compatible).",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {"type": "string", "minLength": 1, "description": "The store directory; created with mode 0700 when missing."},
    "encryption_key_env": {"type": "string", "minLength": 1, "default": "OAUTH_STORAGE_ENCRYPTION_KEY",
      "description": "Environment variable holding the Fernet key, or several comma-separated (the first encrypts)."},
    "key_file": {"type": "string", "minLength": 1, "default": ".encryption_key",
      "description": "Key file used when the variable is unset or empty; generated (0600) when missing. Relative to path."},
    "strict_permissions": {"type": "boolean", "default": false,
      "description": "Refuse a store directory or key file that group or others can access, instead of warning."}
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
