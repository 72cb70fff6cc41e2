// `mcpauth plugins`: what the host loaded, and what it refused and why.
#include "commands.h"
#include "host_setup.h"
#include "schema_reference.h"
#include "text_table.h"

#include "mcpauth/core/log.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>

namespace mcpauth::cli {
namespace {

std::string abi_version(const core::PluginLibrary& plugin) {
  return std::to_string(plugin.abi_major()) + "." + std::to_string(plugin.abi_minor());
}

std::vector<TextRow> table_rows(const core::PluginRegistry& registry) {
  std::vector<TextRow> rows;
  for (const auto& plugin : registry.plugins())
    rows.push_back({plugin->id(), kind_names(plugin->kinds(), ","), plugin->version(), abi_version(*plugin),
                    plugin->path().string()});
  return rows;
}

void print_json(const core::PluginRegistry& registry) {
  Poco::JSON::Array loaded, rejected;
  for (const auto& plugin : registry.plugins()) {
    Poco::JSON::Object entry;
    entry.set("id", plugin->id());
    entry.set("kinds", kind_names(plugin->kinds(), ","));
    entry.set("version", plugin->version());
    entry.set("abi", abi_version(*plugin));
    entry.set("description", plugin->description());
    entry.set("path", plugin->path().string());
    loaded.add(entry);
  }
  for (const auto& rejection : registry.rejections()) {
    Poco::JSON::Object entry;
    entry.set("path", rejection.path.string());
    entry.set("reason", rejection.reason);
    rejected.add(entry);
  }
  Poco::JSON::Object out;
  out.set("plugins", loaded);
  out.set("rejected", rejected);
  out.stringify(std::cout, 2);
  std::cout << "\n";
}

void print_table(const core::PluginRegistry& registry) {
  if (registry.plugins().empty())
    std::cout << "No plugins loaded.\n";
  else
    print_text_table(std::cout, {"ID", "KIND", "VERSION", "ABI", "PATH"}, table_rows(registry));
  if (!registry.rejections().empty()) {
    std::cout << "\nRefused:\n";
    for (const auto& rejection : registry.rejections())
      std::cout << "  " << rejection.path.string() << ": " << rejection.reason << "\n";
  }
}

}  // namespace

int run_plugins(const Invocation& invocation) {
  if (invocation.words.size() > 1) throw UsageError("'plugins' takes no arguments");
  // The configuration only matters here for its plugin_dirs; listing plugins must still work
  // when it is missing or broken, so that is a warning.
  std::optional<config::Config> loaded;
  if (invocation.options.plugin_dirs.empty()) {
    try {
      loaded = load_configuration(invocation.options);
    } catch (const std::exception& e) {
      core::log(core::LogLevel::warn, "config", std::string(e.what()) + " (using the default plugin directory)");
    }
  }
  core::PluginRegistry registry;
  registry.scan(plugin_dirs(invocation.options, loaded ? &loaded->settings : nullptr));
  if (invocation.options.json)
    print_json(registry);
  else
    print_table(registry);
  return 0;
}

}  // namespace mcpauth::cli
