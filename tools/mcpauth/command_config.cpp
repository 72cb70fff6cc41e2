// `mcpauth config check`: validates the configuration against the loaded plugins.
// `mcpauth config schema [PLUGIN]`: the loaded plugins' config schemas, as a Markdown reference or JSON.
#include "commands.h"
#include "host_setup.h"
#include "schema_reference.h"
#include "text_table.h"

#include "mcpauth/core/log.h"
#include "mcpauth/core/server_binding.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <iostream>

namespace mcpauth::cli {
namespace {

struct ServerReport {
  const config::ServerConfig* server;
  std::string problem;  // empty when the server binds
};

void print_json(const config::Config& loaded, const std::vector<ServerReport>& reports) {
  Poco::JSON::Array servers, files;
  for (const auto& file : loaded.files) files.add(file);
  for (const auto& report : reports) {
    Poco::JSON::Object entry;
    entry.set("name", report.server->name);
    entry.set("enabled", report.server->enabled);
    entry.set("auth_plugin", report.server->auth.plugin);
    entry.set("storage_plugin", report.server->storage.plugin);
    entry.set("ok", report.problem.empty());
    if (!report.problem.empty()) entry.set("problem", report.problem);
    servers.add(entry);
  }
  Poco::JSON::Object out;
  out.set("files", files);
  out.set("servers", servers);
  out.stringify(std::cout, 2);
  std::cout << "\n";
}

void print_table(const config::Config& loaded, const std::vector<ServerReport>& reports) {
  for (const auto& file : loaded.files) std::cout << "config: " << file << "\n";
  if (reports.empty()) {
    std::cout << "No servers configured.\n";
    return;
  }
  std::vector<TextRow> rows;
  for (const auto& report : reports)
    rows.push_back({report.server->name, report.server->enabled ? "yes" : "no", report.server->auth.plugin,
                    report.server->storage.plugin, report.problem.empty() ? "ok" : "problem (see below)"});
  print_text_table(std::cout, {"SERVER", "ENABLED", "AUTH", "STORAGE", "STATUS"}, rows);
}

// --plugin-dir if given; else the directories of the configuration, which must then load. A refused
// library is a warning: its fields would be missing from the reference.
core::PluginRegistry scan_plugins(const GlobalOptions& options) {
  core::PluginRegistry registry;
  if (!options.plugin_dirs.empty()) {
    registry.scan(plugin_dirs(options, nullptr));
  } else {
    const config::Config loaded = load_configuration(options);
    registry.scan(plugin_dirs(options, &loaded.settings));
  }
  for (const auto& rejection : registry.rejections())
    core::log(core::LogLevel::warn, "plugins", rejection.path.string() + ": " + rejection.reason);
  return registry;
}

PluginSchema schema_of(const core::PluginLibrary& plugin) {
  return {plugin.id(), plugin.kinds(), plugin.version(), plugin.description(), plugin.config_schema_text()};
}

// Sorted by id; with a plugin id, only that one (a UsageError listing the loaded ids when there is none).
std::vector<PluginSchema> selected_schemas(const core::PluginRegistry& registry, const std::string* id) {
  std::vector<PluginSchema> all;
  for (const auto& plugin : registry.plugins()) all.push_back(schema_of(*plugin));
  std::sort(all.begin(), all.end(), [](const PluginSchema& a, const PluginSchema& b) { return a.id < b.id; });
  if (id == nullptr) return all;
  std::string available;
  for (const PluginSchema& plugin : all) {
    if (plugin.id == *id) return {plugin};
    available += (available.empty() ? "" : ", ") + plugin.id;
  }
  throw UsageError("no plugin '" + *id + "' is loaded (loaded: " + (available.empty() ? "none" : available) + ")");
}

int run_check(const Invocation& invocation) {
  config::Config loaded = load_configuration(invocation.options);
  core::PluginRegistry registry;
  registry.scan(plugin_dirs(invocation.options, &loaded.settings));

  std::vector<ServerReport> reports;
  bool failed = false;
  for (const auto& server : loaded.servers) {
    ServerReport report{&server, ""};
    try {
      core::plan_binding(registry, server);
    } catch (const core::BindingError& e) {
      report.problem = e.what();
      failed = failed || server.enabled;  // a disabled server is never bound: its problem is a warning
    }
    reports.push_back(report);
  }
  if (invocation.options.json)
    print_json(loaded, reports);
  else
    print_table(loaded, reports);
  for (const auto& report : reports) {
    if (report.problem.empty()) continue;
    std::cerr << (report.server->enabled ? "error: " : "warning (server disabled): ") << report.problem << "\n";
  }
  return failed ? 1 : 0;
}

int run_schema(const Invocation& invocation) {
  const std::string* id = invocation.words.size() == 3 ? &invocation.words[2] : nullptr;
  const std::vector<PluginSchema> schemas = selected_schemas(scan_plugins(invocation.options), id);
  if (invocation.options.json)
    std::cout << (id ? schema_json(schemas.front()) : schemas_json(schemas));
  else
    std::cout << (id ? markdown_section(schemas.front()) : markdown_reference(schemas));
  return 0;
}

}  // namespace

int run_config(const Invocation& invocation) {
  const std::vector<std::string>& words = invocation.words;
  if (words.size() == 2 && words[1] == "check") return run_check(invocation);
  if ((words.size() == 2 || words.size() == 3) && words[1] == "schema") return run_schema(invocation);
  throw UsageError("usage: mcpauth config check | mcpauth config schema [PLUGIN]");
}

}  // namespace mcpauth::cli
