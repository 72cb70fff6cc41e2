// A thin RAII layer over the SQLite C API: one configured connection with its prepared statements,
// statements with bound parameters, and IMMEDIATE transactions. Failures throw SqliteError with
// SQLite's result code; sqlite_storage.cpp turns them into mcpauth errors with the operation and key.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpauth::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int primary_code() const noexcept { return code_ & 0xff; }

 private:
  int code_;
};

// A connection is used by one thread at a time (connections.h hands it out), and so are the
// statements it caches: they belong to it and go wherever it goes.
class Database {
 public:
  // Opens an existing file (never creates it: store_file.cpp does, with the right mode) and
  // applies the durability settings described in README.md.
  Database(const std::filesystem::path& path, int busy_timeout_ms);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return connection_.get(); }
  // Runs fixed SQL text without parameters (pragmas, schema scripts).
  void exec(const char* sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int changes() const { return sqlite3_changes(handle()); }
  [[noreturn]] void fail(int code) const;

 private:
  void switch_to_wal(int busy_timeout_ms);
  friend class Statement;
  // The statement for sql, prepared on its first use on this connection and kept until the
  // connection closes: preparing costs more than running this plugin's short statements. sql is
  // fixed text from the code, so there are few. Only Statement uses it: it resets it after use.
  sqlite3_stmt* prepared(std::string_view sql);

  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };

  // In this order, so the statements are finalized before the connection closes (also when the
  // constructor throws): with statements left, SQLite would keep the connection open.
  std::unique_ptr<sqlite3, Close> connection_;
  std::map<std::string, std::unique_ptr<sqlite3_stmt, Finalize>, std::less<>> statements_;
};

// One use of a connection's cached statement. When it goes out of scope, also by an exception,
// the statement is reset (one stopped at a row keeps its read transaction, and the connection would
// go on reading that old snapshot) and its bindings are cleared (no copy of a key or token stays
// behind). A connection runs one Statement of a given SQL text at a time.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1, as in SQL "?1".
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind_null(int index);

  // True while a row is available; false once the statement is done.
  bool step();
  std::string_view text(int column) const;
  int64_t integer(int column) const;

 private:
  void check_bind(int code) const;

  Database& db_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE (take the write lock up front, so the busy timeout applies) and ROLLBACK
// unless commit() succeeded: a transaction either commits entirely or leaves nothing.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace mcpauth::sqlite
