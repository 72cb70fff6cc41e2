#include "fixture.h"

#include "crypto/fernet.h"
#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/core/plugin_registry.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

KeyEnv::KeyEnv(const std::optional<std::string>& value) {
  if (value)
    ::setenv(kKeyEnv, value->c_str(), 1);
  else
    ::unsetenv(kKeyEnv);
}

KeyEnv::~KeyEnv() { ::unsetenv(kKeyEnv); }

std::shared_ptr<const mcpauth::core::PluginLibrary> fernet_file_plugin() {
  static const auto library = [] {
    mcpauth::core::set_log_level(mcpauth::core::LogLevel::warn);  // the tests check warnings, not info
    mcpauth::core::PluginRegistry registry;
    REQUIRE(registry.load(FERNET_FILE_PLUGIN));
    return registry.find("fernet_file", MCPAUTH_KIND_STORAGE);
  }();
  REQUIRE(library);
  return library;
}

std::string config_for(const fs::path& dir, const std::string& extra) {
  return R"({"path":")" + dir.string() + R"(","encryption_key_env":")" + kKeyEnv + "\"" +
         (extra.empty() ? "" : "," + extra) + "}";
}

std::unique_ptr<StorageInstance> open_store(const fs::path& dir, const std::string& extra) {
  const std::string config = config_for(dir, extra);
  INFO(config);
  REQUIRE(fernet_file_plugin()->config_schema().validate_text(config).empty());
  return std::make_unique<StorageInstance>(fernet_file_plugin(), mcpauth::core::InstanceSpec{"srv", "", config});
}

std::string new_key() { return mcpauth::crypto::FernetKey::generate().encoded(); }

Failure failure_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const mcpauth::core::PluginError& e) {
    return {e.status(), e.what()};
  }
  FAIL("the call succeeded; a PluginError was expected");
  return {};
}

Bytes bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }
std::string text(const Bytes& data) { return std::string(data.begin(), data.end()); }

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file(const fs::path& file, std::string_view content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  REQUIRE(out);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

unsigned mode_of(const fs::path& file) {
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir))
    files[entry.path().filename().string()] = entry.is_directory() ? "<dir>" : read_file(entry.path());
  return files;
}
