// Finds plugin libraries in directories, loads every one it can (or only the ones a command
// needs), and remembers why it refused the others. A bad library never stops the host: it is
// listed with its reason.
#pragma once

#include "mcpauth/core/plugin_library.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mcpauth::core {

struct PluginRejection {
  std::filesystem::path path;
  std::string reason;  // one line
};

class PluginRegistry {
 public:
  // Loads every *.so in each directory (sorted by name, so the outcome does not depend on the file
  // system's order). A missing directory is a rejection too.
  // A library tried before (by load_named) is not loaded again.
  void scan(const std::vector<std::filesystem::path>& directories);
  // Loads the plugins with these ids, for a command that needs only them: each from the file a
  // shipped plugin has, mcpauth_<id>.so, in the first directory holding one. When that file is
  // missing, refused or another plugin, falls back to scan (third-party plugins may have any name).
  void load_named(const std::vector<std::filesystem::path>& directories, const std::vector<std::string>& ids);
  // Loads one library file; returns false (and records why) if it was refused.
  bool load(const std::filesystem::path& library_path);

  // The plugin with this id that provides kind (MCPAUTH_KIND_*), or null.
  std::shared_ptr<const PluginLibrary> find(const std::string& id, uint32_t kind) const;

  const std::vector<std::shared_ptr<const PluginLibrary>>& plugins() const { return plugins_; }
  const std::vector<PluginRejection>& rejections() const { return rejections_; }

 private:
  std::vector<std::shared_ptr<const PluginLibrary>> plugins_;
  std::vector<PluginRejection> rejections_;
  std::vector<std::filesystem::path> tried_;  // every library load() was given
};

// Where the host looks when the configuration names no plugin directories:
// <directory of the running executable>/../<libdir>/mcpauth/plugins (build tree and install tree alike).
std::vector<std::filesystem::path> default_plugin_dirs();

}  // namespace mcpauth::core
