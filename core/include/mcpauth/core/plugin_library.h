// One plugin library, loaded with Boost.DLL and checked against the ABI. Instances hold a
// shared_ptr to it, so a library is never unloaded while an instance from it lives.
#pragma once

#include <mcpauth/plugin_abi.h>

#include "schema/json_schema.h"

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpauth::core {

// Why a library was refused: one line, without the path (the registry pairs it with the path).
class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether text is a valid plugin id: 1-64 characters of [a-z0-9_].
bool is_valid_plugin_id(std::string_view text);

class PluginLibrary {
 public:
  // Loads, negotiates and validates; throws PluginLoadError.
  static std::shared_ptr<PluginLibrary> load(const std::filesystem::path& path);

  const std::string& id() const { return id_; }
  const std::string& version() const { return version_; }
  const std::string& description() const { return description_; }
  const std::filesystem::path& path() const { return path_; }
  uint32_t kinds() const { return descriptor_.kinds; }
  bool has_kind(uint32_t kind) const { return (descriptor_.kinds & kind) != 0; }
  uint32_t abi_major() const { return descriptor_.abi_major; }
  uint32_t abi_minor() const { return descriptor_.abi_minor; }
  const std::string& config_schema_text() const { return schema_text_; }
  const schema::Schema& config_schema() const { return *schema_; }

  // The plugin's tables, copied into zero-filled structs of the host's size (members the plugin
  // did not know about are NULL).
  const mcpauth_plugin_descriptor& descriptor() const { return descriptor_; }
  const mcpauth_auth_api& auth_api() const { return auth_; }
  const mcpauth_storage_api& storage_api() const { return storage_; }

 private:
  PluginLibrary() = default;
  void negotiate();
  void validate_descriptor(const mcpauth_plugin_descriptor& raw);
  void copy_tables(const mcpauth_plugin_descriptor& raw);

  boost::dll::shared_library library_;
  std::filesystem::path path_;
  mcpauth_plugin_descriptor descriptor_{};
  mcpauth_auth_api auth_{};
  mcpauth_storage_api storage_{};
  std::string id_, version_, description_, schema_text_;
  std::unique_ptr<schema::Schema> schema_;
};

}  // namespace mcpauth::core
