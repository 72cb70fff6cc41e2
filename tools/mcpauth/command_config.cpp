// `mcpauth config check`: validates the configuration against the loaded plugins.
#include "commands.h"
#include "host_setup.h"

#include "mcpauth/core/server_binding.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iomanip>
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
  std::cout << std::left << std::setw(24) << "SERVER" << std::setw(9) << "ENABLED" << std::setw(14) << "AUTH"
            << std::setw(14) << "STORAGE"
            << "STATUS\n";
  for (const auto& report : reports)
    std::cout << std::left << std::setw(24) << report.server->name << std::setw(9)
              << (report.server->enabled ? "yes" : "no") << std::setw(14) << report.server->auth.plugin << std::setw(14)
              << report.server->storage.plugin << (report.problem.empty() ? "ok" : "problem (see below)") << "\n";
}

}  // namespace

int run_config(const Invocation& invocation) {
  if (invocation.words.size() != 2 || invocation.words[1] != "check") throw UsageError("usage: mcpauth config check");
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

}  // namespace mcpauth::cli
