// The connections of one instance. A connection serves one thread at a time and is then reused:
// transactions of different threads cannot interleave on it, and readers run in parallel (WAL).
// Its cached prepared statements (database.h) travel with it, so they too are only ever used by
// the one thread that holds the connection, and SQLite's per-connection mutex is not needed.
// Between connections, of this process or of others, SQLite's file locks and the busy timeout
// arbitrate alike.
#pragma once

#include "database.h"

#include <mcpauth/plugin.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mcpauth::sqlite {

class Connections {
 public:
  Connections(std::filesystem::path path, int busy_timeout_ms);

  const std::filesystem::path& path() const { return path_; }

  // Runs body(Database&) on a connection of its own. An SqliteError (opening the connection
  // included) becomes an mcpauth::sdk::Error "cannot <action> (database <path>): ...".
  template <class Body>
  auto with(const std::string& action, Body&& body) {
    try {
      Lease lease(*this);
      return body(*lease.database);
    } catch (const SqliteError& e) {
      throw to_error(e, action);
    }
  }

 private:
  struct Lease {
    explicit Lease(Connections& from) : owner(from), database(from.take()) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { owner.give_back(std::move(database)); }
    Connections& owner;
    std::unique_ptr<Database> database;
  };

  std::unique_ptr<Database> take();
  void give_back(std::unique_ptr<Database> database) noexcept;
  sdk::Error to_error(const SqliteError& e, const std::string& action) const;

  const std::filesystem::path path_;
  const int busy_timeout_ms_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace mcpauth::sqlite
