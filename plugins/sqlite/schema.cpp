#include "schema.h"

#include <mcpauth/plugin.hpp>

#include <cstdint>
#include <iterator>

namespace mcpauth::sqlite {
namespace {

// kMigrations[n] takes the schema from version n to n + 1 and ends by recording that version.
// Append steps; never edit a released one.
constexpr const char* kMigrations[] = {
    // 1: entries hold Fernet tokens of the values; locks hold leases (see README.md).
    "CREATE TABLE entries(key TEXT NOT NULL COLLATE BINARY PRIMARY KEY, value TEXT NOT NULL,"
    "                     updated_at INTEGER NOT NULL);"
    "CREATE TABLE locks(key TEXT NOT NULL COLLATE BINARY PRIMARY KEY, owner TEXT NOT NULL,"
    "                   expires_at INTEGER NOT NULL);"
    "PRAGMA user_version = 1;",
};
constexpr int64_t kSchemaVersion = std::size(kMigrations);

int64_t user_version(Database& db) {
  Statement read(db, "PRAGMA user_version");
  read.step();
  return read.integer(0);
}

}  // namespace

void migrate(Database& db, const std::filesystem::path& path) {
  Transaction transaction(db);
  int64_t version = user_version(db);
  if (version > kSchemaVersion)
    throw sdk::Error(MCPAUTH_ERR_CONFIG, "database " + path.string() + " has schema version " +
                                             std::to_string(version) + ", newer than this sqlite plugin knows (" +
                                             std::to_string(kSchemaVersion) +
                                             "): it was written by a newer mcpauth; upgrade mcpauth");
  for (; version < kSchemaVersion; ++version) db.exec(kMigrations[version]);
  transaction.commit();
}

}  // namespace mcpauth::sqlite
