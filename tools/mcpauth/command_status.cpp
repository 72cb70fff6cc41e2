// `mcpauth status`: each server's sign-in state, never a secret (plugins' status JSON has none).
#include "commands.h"
#include "status_summary.h"
#include "target_servers.h"
#include "text_table.h"

#include "mcpauth/core/server_binding.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <iostream>

namespace mcpauth::cli {
namespace {

struct StatusReport {
  std::string server, plugin;
  std::string status_json;  // when the server could be bound and asked
  std::string error;        // otherwise
};

StatusReport report_on(const core::PluginRegistry& registry, const config::ServerConfig& server) {
  StatusReport report{server.name, server.auth.plugin, "", ""};
  try {
    core::ServerBinding binding(registry, server);
    report.status_json = binding.auth().status("");
  } catch (const std::exception& e) {  // BindingError, PluginError: one server's problem, not the command's
    report.error = e.what();
  }
  return report;
}

void print_json(const std::vector<StatusReport>& reports) {
  Poco::JSON::Array out;
  for (const auto& report : reports) {
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("server", report.server);
    entry.set("plugin", report.plugin);
    if (!report.error.empty()) {
      entry.set("error", report.error);
    } else {
      try {
        entry.set("status", Poco::JSON::Parser().parse(report.status_json));
      } catch (const Poco::Exception&) {
        entry.set("error", "the plugin's status is not valid JSON");
      }
    }
    out.add(entry);
  }
  out.stringify(std::cout, 2);
  std::cout << "\n";
}

void print_table(const std::vector<StatusReport>& reports) {
  if (reports.empty()) {
    std::cout << "No enabled servers configured.\n";
    return;
  }
  const auto now = std::chrono::system_clock::now();
  std::vector<TextRow> rows;
  for (const auto& report : reports)
    rows.push_back({report.server, report.plugin,
                    report.error.empty() ? summarize_status(report.status_json, now) : "error: " + report.error});
  print_text_table(std::cout, {"SERVER", "AUTH", "STATUS"}, rows);
}

}  // namespace

int run_status(const Invocation& invocation) {
  TargetServers targets = target_servers(invocation, true);
  std::vector<StatusReport> reports;
  for (const auto& server : targets.servers) reports.push_back(report_on(targets.registry, server));
  if (invocation.options.json)
    print_json(reports);
  else
    print_table(reports);
  for (const auto& report : reports)
    if (!report.error.empty()) return 1;
  return 0;
}

}  // namespace mcpauth::cli
