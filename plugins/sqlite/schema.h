// The database schema and its migrations. PRAGMA user_version is the schema version: 0 for a new
// file, and each migration step moves it up by one.
#pragma once

#include "database.h"

namespace mcpauth::sqlite {

// Applies the missing migration steps in one IMMEDIATE transaction, so concurrent processes
// starting on a new file migrate it once. Throws mcpauth::sdk::Error (MCPAUTH_ERR_CONFIG) when
// the file has a newer schema than this plugin knows, SqliteError otherwise.
void migrate(Database& db, const std::filesystem::path& path);

}  // namespace mcpauth::sqlite
