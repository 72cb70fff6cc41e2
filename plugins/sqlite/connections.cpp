#include "connections.h"

namespace mcpauth::sqlite {

Connections::Connections(std::filesystem::path path, int busy_timeout_ms)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

std::unique_ptr<Database> Connections::take() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Database> database = std::move(idle_.back());
      idle_.pop_back();
      return database;
    }
  }
  // Opened outside the mutex: opening waits for the busy timeout when another process is
  // switching the file to WAL, and other threads need not wait for that.
  return std::make_unique<Database>(path_, busy_timeout_ms_);
}

void Connections::give_back(std::unique_ptr<Database> database) noexcept {
  try {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(database));
  } catch (...) {  // out of memory: the connection is closed instead of kept
  }
}

sdk::Error Connections::to_error(const SqliteError& e, const std::string& action) const {
  std::string prefix = "cannot " + action + " (database " + path_.string() + "): ";
  switch (e.primary_code()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return sdk::Error(MCPAUTH_ERR_TIMEOUT, prefix + "another connection held the database lock for more than " +
                                                 std::to_string(busy_timeout_ms_) + " ms (busy_timeout_ms)");
    case SQLITE_NOMEM:
      return sdk::Error(MCPAUTH_ERR_NO_MEMORY, prefix + e.what());
    case SQLITE_NOTADB:
      return sdk::Error(MCPAUTH_ERR_CONFIG, prefix + "the file is not a SQLite database");
    default:  // SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_CORRUPT...
      return sdk::Error(MCPAUTH_ERR_IO, prefix + e.what());
  }
}

}  // namespace mcpauth::sqlite
