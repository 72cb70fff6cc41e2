#include "mcpauth/core/plugin_registry.h"

#include <algorithm>
#include <system_error>

#ifndef MCPAUTH_RELATIVE_PLUGIN_DIR
#error "MCPAUTH_RELATIVE_PLUGIN_DIR must be defined by the build"
#endif

namespace mcpauth::core {

void PluginRegistry::scan(const std::vector<std::filesystem::path>& directories) {
  for (const auto& directory : directories) {
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
      rejections_.push_back({directory, "plugin directory does not exist or is not a directory"});
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error))
      if (entry.path().extension() == ".so" && !entry.is_directory()) files.push_back(entry.path());
    if (error) rejections_.push_back({directory, "cannot read plugin directory: " + error.message()});
    std::sort(files.begin(), files.end());
    for (const auto& file : files)
      if (std::find(tried_.begin(), tried_.end(), file) == tried_.end()) load(file);
  }
}

void PluginRegistry::load_named(const std::vector<std::filesystem::path>& directories,
                                const std::vector<std::string>& ids) {
  bool all_found = true;
  for (const auto& id : ids) {
    if (std::any_of(plugins_.begin(), plugins_.end(), [&](const auto& plugin) { return plugin->id() == id; })) continue;
    const bool plain = is_valid_plugin_id(id);  // else it might name a path: left to the scan
    const std::string file_name = "mcpauth_" + id + ".so";
    const auto holding = std::find_if(directories.begin(), directories.end(), [&](const auto& directory) {
      std::error_code error;
      return plain && std::filesystem::is_regular_file(directory / file_name, error);
    });
    if (holding == directories.end() || !load(*holding / file_name) || plugins_.back()->id() != id) all_found = false;
  }
  if (!all_found) scan(directories);
}

bool PluginRegistry::load(const std::filesystem::path& library_path) {
  tried_.push_back(library_path);
  std::shared_ptr<PluginLibrary> plugin;
  try {
    plugin = PluginLibrary::load(library_path);
  } catch (const PluginLoadError& e) {
    rejections_.push_back({library_path, e.what()});
    return false;
  }
  for (const auto& existing : plugins_) {
    if (existing->id() == plugin->id()) {
      rejections_.push_back({library_path, "duplicate plugin id '" + plugin->id() + "' (already loaded from " +
                                               existing->path().string() + ")"});
      return false;
    }
  }
  plugins_.push_back(std::move(plugin));
  return true;
}

std::shared_ptr<const PluginLibrary> PluginRegistry::find(const std::string& id, uint32_t kind) const {
  for (const auto& plugin : plugins_)
    if (plugin->id() == id && plugin->has_kind(kind)) return plugin;
  return nullptr;
}

std::vector<std::filesystem::path> default_plugin_dirs() {
  std::error_code error;
  std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  return {(executable.parent_path() / MCPAUTH_RELATIVE_PLUGIN_DIR).lexically_normal()};
}

}  // namespace mcpauth::core
