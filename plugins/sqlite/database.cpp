#include "database.h"

#include <chrono>
#include <mutex>
#include <thread>

namespace mcpauth::sqlite {
namespace {

// With memory statistics on (as in Debian's libsqlite3), every SQLite allocation takes one
// process-wide mutex, and the threads of a busy server queue on it. The setting only takes effect
// before SQLite initializes: when something else in the process used SQLite first, sqlite3_config
// returns SQLITE_MISUSE and changes nothing, which is fine, as the statistics only cost time.
// sqlite3_config is not thread-safe; call_once makes this plugin's threads wait for it, and the
// host itself does not use SQLite.
void disable_memory_statistics() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Database::Database(const std::filesystem::path& path, int busy_timeout_ms) {
  disable_memory_statistics();
  // NOMUTEX: a connection is used by one thread at a time (see connections.h), so SQLite's own
  // per-connection mutex would only cost time. No SQLITE_OPEN_CREATE: a missing file is an error.
  sqlite3* db = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  connection_.reset(db);  // a failed open usually returns a handle too, to read the error from and close
  if (code != SQLITE_OK) {
    if (db == nullptr) throw SqliteError(code, sqlite3_errstr(code));
    fail(code);
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  switch_to_wal(busy_timeout_ms);
  exec("PRAGMA synchronous=FULL");
}

// Switching needs a read of the header: this is where a file that is no database fails. When
// connections open a new file at the same moment, one may hold its read lock while it waits for
// the write lock another is waiting for too; SQLite then answers SQLITE_BUSY at once instead of
// calling the busy handler (it would deadlock). So the switch is tried again until the busy
// timeout has passed.
void Database::switch_to_wal(int busy_timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (;;) {
    try {
      Statement wal(*this, "PRAGMA journal_mode=WAL");
      if (!wal.step() || wal.text(0) != "wal")
        throw SqliteError(SQLITE_ERROR, "cannot switch to WAL journal mode (the file system may not support it)");
      return;
    } catch (const SqliteError& e) {
      if (e.primary_code() != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Database::exec(const char* sql) {
  int code = sqlite3_exec(handle(), sql, nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) fail(code);
}

sqlite3_stmt* Database::prepared(std::string_view sql) {
  auto cached = statements_.find(sql);
  if (cached != statements_.end()) return cached->second.get();
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v3(handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &statement, nullptr);
  if (code != SQLITE_OK) fail(code);
  std::unique_ptr<sqlite3_stmt, Finalize> owned(statement);  // finalized if emplace throws
  return statements_.emplace(sql, std::move(owned)).first->second.get();
}

void Database::fail(int code) const { throw SqliteError(code, sqlite3_errmsg(handle())); }

Statement::Statement(Database& db, std::string_view sql) : db_(db), stmt_(db.prepared(sql)) {}

Statement::~Statement() {
  // reset returns the error step() already reported, if any.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, so the caller's buffer may go away.
  check_bind(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

void Statement::check_bind(int code) const {
  if (code != SQLITE_OK) db_.fail(code);
}

bool Statement::step() {
  int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  db_.fail(code);
}

std::string_view Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return std::string_view(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  // SQLite may already have rolled back by itself after an I/O error or a full disk.
  if (open_ && sqlite3_get_autocommit(db_.handle()) == 0)
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace mcpauth::sqlite
