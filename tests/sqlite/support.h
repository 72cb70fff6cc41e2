// Shared by the sqlite plugin tests: the plugin loaded through the real host, a temporary
// directory per test, direct access to the database file, and captured host log output.
#pragma once

#include "test_support.h"

#include "mcpauth/core/instances.h"
#include "mcpauth/core/plugin_error.h"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace sqlite_test {

namespace fs = std::filesystem;
using mcpauth::core::Bytes;
using mcpauth::core::PluginError;
using mcpauth::core::StorageInstance;

// The variable the tests put keys in (each test sets or unsets it).
inline constexpr const char* kKeyEnv = "MCPAUTH_SQLITE_TEST_KEY";
// Two valid Fernet keys (test data only).
inline constexpr const char* kKeyA = "G-5HnA43_DMwMy9tpyYN9TEGkEDvfnV1pEkQyU2TVaY=";
inline constexpr const char* kKeyB = "zvq-anB85KO6zNsVV2lNCjqoutaCVsy7V-ObvW610_M=";

Bytes bytes(const std::string& text);
std::string text(const Bytes& data);

// A fresh directory, removed with everything in it at the end of the test.
class TempDir : public mcpauth::test::TempDir {
 public:
  TempDir() : mcpauth::test::TempDir("sqlite") {}
  fs::path db() const { return path() / "store" / "tokens.db"; }
};

void set_key(const std::string& keys);  // the value of kKeyEnv
void unset_key();

// {"path": db, "encryption_key_env": kKeyEnv, <extra>}, checked against the plugin's schema.
std::string config_for(const fs::path& db, const std::string& extra = "");
// A storage instance of the built plugin, created as the host creates it.
std::unique_ptr<StorageInstance> open_store(const fs::path& db, const std::string& extra = "");

// The PluginError that call throws (std::logic_error if it throws none).
template <class Call>
PluginError error_of(Call&& call) {
  return mcpauth::test::thrown_by<PluginError>(call);
}

// A direct connection to the database file, as another program would open it.
class RawDb {
 public:
  explicit RawDb(const fs::path& path);
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb();
  void exec(const std::string& sql);
  // The first column of the first row of sql with ?1 bound to parameter ("" when no row).
  std::string text(const std::string& sql, const std::string& parameter = "");
  // Runs sql with ?1 and ?2 bound.
  void run(const std::string& sql, const std::string& first, const std::string& second);

 private:
  sqlite3* db_ = nullptr;
};

using CapturedLog = mcpauth::test::StderrCapture;

unsigned mode_of(const fs::path& path);  // permission bits, e.g. 0600
std::string file_contents(const fs::path& path);
int64_t now_ms();

}  // namespace sqlite_test
