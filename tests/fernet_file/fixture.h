// Helpers of the fernet_file tests: the plugin loaded through the real host, a fresh directory
// per test, the key variable, files, and the host's log (written to stderr).
#pragma once

#include "test_support.h"

#include "mcpauth/core/instances.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fs = std::filesystem;
using mcpauth::core::Bytes;
using mcpauth::core::StorageInstance;

// The variable every test store reads its keys from (set with KeyEnv).
inline constexpr const char* kKeyEnv = "MCPAUTH_FERNET_FILE_TEST_KEY";

using mcpauth::test::StderrCapture;
using mcpauth::test::TempDir;

// Sets kKeyEnv (nullopt: unsets it) for the lifetime of the object.
class KeyEnv {
 public:
  explicit KeyEnv(const std::optional<std::string>& value);
  KeyEnv(const KeyEnv&) = delete;
  KeyEnv& operator=(const KeyEnv&) = delete;
  ~KeyEnv();
};

std::shared_ptr<const mcpauth::core::PluginLibrary> fernet_file_plugin();
// {"path": dir, "encryption_key_env": kKeyEnv} plus extra members (e.g. `"strict_permissions": true`).
std::string config_for(const fs::path& dir, const std::string& extra = "");
std::unique_ptr<StorageInstance> open_store(const fs::path& dir, const std::string& extra = "");

std::string new_key();

// The status and message of a call that must throw PluginError.
struct Failure {
  int32_t status = 0;
  std::string message;
};
Failure failure_of(const std::function<void()>& call);

Bytes bytes(std::string_view text);
std::string text(const Bytes& data);
std::string read_file(const fs::path& file);
void write_file(const fs::path& file, std::string_view content);
unsigned mode_of(const fs::path& file);  // permission bits
// Every file name in dir with its content (directories map to "<dir>").
std::map<std::string, std::string> snapshot(const fs::path& dir);
