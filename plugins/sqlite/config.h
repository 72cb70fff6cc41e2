// The per-server settings of the sqlite plugin: the JSON Schema the host validates against, and
// the parsed form with the defaults filled in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace mcpauth::sqlite {

inline constexpr const char* kConfigSchema = R"({
  "type": "object",
  "description": "The default store of the shipped configuration (default_storage); see plugins/sqlite/README.md.",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {"type": "string", "minLength": 1,
             "description": "The database file. ~ is expanded by the host; a relative path is taken from the working directory at start-up. Created 0600 (a missing directory 0700) when absent."},
    "encryption_key_env": {"type": "string", "default": "OAUTH_STORAGE_ENCRYPTION_KEY",
                           "description": "The environment variable holding the Fernet key, or several separated by commas (the first encrypts, any decrypts). When it is unset or empty, key_file is used."},
    "key_file": {"type": "string", "minLength": 1,
                 "description": "The key file used when the variable is unset or empty; generated (0600, with a warning) when missing. ~ is expanded by the host; a relative path is taken from the working directory. Absent: .encryption_key in the directory of path."},
    "busy_timeout_ms": {"type": "integer", "minimum": 0, "maximum": 600000, "default": 5000,
                        "description": "Milliseconds an operation waits for another connection's write lock before it fails with a timeout."},
    "strict_permissions": {"type": "boolean", "default": false,
                           "description": "true: refuse a database or key file that group or others may access. false: log a warning."},
    "lock_lease_ms": {"type": "integer", "minimum": 100, "maximum": 3600000, "default": 4000,
                      "description": "Milliseconds of a lock's lease, renewed every quarter of it while the lock is held: the longest a crashed holder blocks the others. Keep it above any stall of the disk."}
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
