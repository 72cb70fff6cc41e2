#include "support.h"

#include "mcpauth/core/plugin_registry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sqlite_test {
namespace {

std::shared_ptr<const mcpauth::core::PluginLibrary> plugin() {
  static const auto library = [] {
    mcpauth::core::PluginRegistry registry;
    if (!registry.load(SQLITE_PLUGIN))
      throw std::runtime_error("cannot load " SQLITE_PLUGIN ": " + registry.rejections().back().reason);
    return registry.find("sqlite", MCPAUTH_KIND_STORAGE);
  }();
  return library;
}

void check_sqlite(int code, sqlite3* db) {
  if (code != SQLITE_OK && code != SQLITE_ROW && code != SQLITE_DONE)
    throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
}

}  // namespace

Bytes bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }
std::string text(const Bytes& data) { return std::string(data.begin(), data.end()); }

void set_key(const std::string& keys) { ::setenv(kKeyEnv, keys.c_str(), 1); }
void unset_key() { ::unsetenv(kKeyEnv); }

std::string config_for(const fs::path& db, const std::string& extra) {
  std::string json = R"({"path":")" + db.string() + R"(","encryption_key_env":")" + kKeyEnv + "\"" +
                     (extra.empty() ? "" : "," + extra) + "}";
  auto violations = plugin()->config_schema().validate_text(json);
  if (!violations.empty()) throw std::logic_error("config rejected by the schema: " + to_string(violations.front()));
  return json;
}

std::unique_ptr<StorageInstance> open_store(const fs::path& db, const std::string& extra) {
  return std::make_unique<StorageInstance>(plugin(), mcpauth::core::InstanceSpec{"test", "", config_for(db, extra)});
}

RawDb::RawDb(const fs::path& path) {
  int code = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
  check_sqlite(code, db_);
  sqlite3_busy_timeout(db_, 5000);
}

RawDb::~RawDb() { sqlite3_close(db_); }

void RawDb::exec(const std::string& sql) {
  check_sqlite(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), db_);
}

std::string RawDb::text(const std::string& sql, const std::string& parameter) {
  sqlite3_stmt* stmt = nullptr;
  check_sqlite(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), db_);
  if (sqlite3_bind_parameter_count(stmt) > 0) sqlite3_bind_text(stmt, 1, parameter.c_str(), -1, SQLITE_TRANSIENT);
  int code = sqlite3_step(stmt);
  std::string result;
  if (code == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
    result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  check_sqlite(code, db_);
  return result;
}

void RawDb::run(const std::string& sql, const std::string& first, const std::string& second) {
  sqlite3_stmt* stmt = nullptr;
  check_sqlite(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), db_);
  sqlite3_bind_text(stmt, 1, first.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, second.c_str(), -1, SQLITE_TRANSIENT);
  int code = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  check_sqlite(code, db_);
}

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw std::runtime_error("cannot stat " + path.string());
  return info.st_mode & 07777;
}

std::string file_contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace sqlite_test
