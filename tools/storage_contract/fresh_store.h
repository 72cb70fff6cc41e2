// One test case's store. If the config contains @DIR@, it is replaced by a new empty directory
// (removed again by the destructor); otherwise the config is used as is, and every test case
// relies on new instances starting empty (as the memory plugin's do).
#pragma once

#include "mcpauth/core/instances.h"

#include <filesystem>
#include <memory>
#include <string>

namespace contract {

class FreshStore {
 public:
  // Checks the config against the plugin's schema, as the host does; throws std::runtime_error.
  FreshStore();
  ~FreshStore();
  FreshStore(const FreshStore&) = delete;
  FreshStore& operator=(const FreshStore&) = delete;

  const std::string& config() const { return config_; }
  // A new instance on this store; throws mcpauth::core::PluginError when the plugin refuses.
  std::unique_ptr<mcpauth::core::StorageInstance> open() const;

  // The temporary directory holding @DIR@ (a few levels down, so that keys escaping the store by
  // "../" still land inside it) and nothing else; empty when the config has no @DIR@.
  const std::filesystem::path& sandbox() const { return sandbox_; }
  std::filesystem::path directory() const { return sandbox_ / "up3" / "up2" / "up1" / "dir"; }  // @DIR@

 private:
  void remove_sandbox();

  std::filesystem::path sandbox_;
  std::string config_;
};

}  // namespace contract
