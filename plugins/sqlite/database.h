// A thin RAII layer over the SQLite C API: one configured connection, prepared statements with
// bound parameters, and IMMEDIATE transactions. Failures throw SqliteError with SQLite's result
// code; sqlite_storage.cpp turns them into mcpauth errors with the operation and key.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
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

class Database {
 public:
  // Opens an existing file (never creates it: store_file.cpp does, with the right mode) and
  // applies the durability settings described in README.md.
  Database(const std::filesystem::path& path, int busy_timeout_ms);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  sqlite3* handle() const { return db_; }
  // Runs fixed SQL text without parameters (pragmas, schema scripts).
  void exec(const char* sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int changes() const { return sqlite3_changes(db_); }
  [[noreturn]] void fail(int code) const;

 private:
  sqlite3* db_ = nullptr;
};

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
  sqlite3_stmt* stmt_ = nullptr;
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
