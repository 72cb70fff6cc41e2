// The per-server settings of the sqlite plugin: the JSON Schema the host validates against, and
// the parsed form with the defaults filled in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace mcpauth::sqlite {

inline constexpr const char* kConfigSchema = R"({
  "type": "object",
  "description": "An encrypted SQLite database file; see plugins/sqlite/README.md.",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {"type": "string", "minLength": 1,
             "description": "The database file; created 0600 (its directory 0700) when missing."},
    "encryption_key_env": {"type": "string", "default": "OAUTH_STORAGE_ENCRYPTION_KEY",
                           "description": "Variable with the Fernet key, or keys separated by commas."},
    "key_file": {"type": "string", "minLength": 1,
                 "description": "Absolute path of the key file used when the variable is unset or empty."},
    "busy_timeout_ms": {"type": "integer", "minimum": 0, "maximum": 600000, "default": 5000,
                        "description": "How long to wait for another connection's write lock."},
    "strict_permissions": {"type": "boolean", "default": false,
                           "description": "Refuse files open to group or others instead of warning."},
    "lock_lease_ms": {"type": "integer", "minimum": 100, "maximum": 3600000, "default": 4000,
                      "description": "Lease of a lock, renewed while held: how long a crashed holder blocks."}
  }
})";

struct Config {
  std::filesystem::path path;  // absolute
  std::string encryption_key_env = "OAUTH_STORAGE_ENCRYPTION_KEY";
  std::filesystem::path key_file;  // absolute; default <directory of path>/.encryption_key
  int busy_timeout_ms = 5000;
  bool strict_permissions = false;
  int64_t lock_lease_ms = 4000;
};

// Throws mcpauth::sdk::Error (MCPAUTH_ERR_CONFIG).
Config parse_config(const std::string& json);

}  // namespace mcpauth::sqlite
