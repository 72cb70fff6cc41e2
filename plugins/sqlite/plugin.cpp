// The library description and the one exported symbol of mcpauth_sqlite.so.
#include "config.h"
#include "sqlite_storage.h"

#include <mcpauth/plugin.hpp>

namespace {

struct SqliteLibrary {
  static constexpr const char* id = "sqlite";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Encrypted SQLite database file (Fernet), safe for several processes";
  static constexpr const char* config_schema = mcpauth::sqlite::kConfigSchema;
  using Auth = void;
  using Storage = mcpauth::sqlite::SqliteStorage;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(SqliteLibrary)
