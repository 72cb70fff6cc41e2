#include "target_servers.h"

#include "adhoc_server.h"
#include "host_setup.h"

#include "mcpauth/core/log.h"

#include <algorithm>
#include <optional>

namespace mcpauth::cli {
namespace {

// With --url the configuration only contributes settings (default storage, plugin directories),
// so it may be missing; a file named with --config must still load.
std::optional<config::Config> optional_configuration(const GlobalOptions& options) {
  if (options.config_file) return load_configuration(options);
  try {
    return load_configuration(options);
  } catch (const config::ConfigError& e) {
    core::log(core::LogLevel::info, "config", std::string(e.what()) + " (going on without a configuration)");
    return std::nullopt;
  }
}

void load_plugins(TargetServers& targets, const std::vector<std::filesystem::path>& directories,
                  PluginsToLoad plugins) {
  if (plugins == PluginsToLoad::all) return targets.registry.scan(directories);
  std::vector<std::string> ids;
  for (const auto& server : targets.servers) ids.insert(ids.end(), {server.auth.plugin, server.storage.plugin});
  targets.registry.load_named(directories, ids);
}

}  // namespace

TargetServers target_servers(const Invocation& invocation, bool all_when_unnamed, PluginsToLoad plugins) {
  const std::string& command = invocation.words.at(0);
  const AdhocServerOptions& adhoc = invocation.adhoc;
  if (invocation.words.size() > 2) throw UsageError("'" + command + "' takes at most one server name");
  const bool named = invocation.words.size() == 2;
  if (named && adhoc.url) throw UsageError("give '" + command + "' a server name or --url, not both");
  if (!adhoc.url && adhoc.has_client_options())
    throw UsageError(
        "--scopes, --client-id, --client-secret, --client-metadata-url, --grant and --private-key apply only "
        "with --url");
  if (!named && !adhoc.url && !all_when_unnamed) throw UsageError("'" + command + "' needs a server name or --url URL");

  TargetServers targets;
  if (adhoc.url) {
    std::optional<config::Config> loaded = optional_configuration(invocation.options);
    const config::Settings* settings = loaded ? &loaded->settings : nullptr;
    targets.servers.push_back(adhoc_server(adhoc, invocation.login.callback_port, settings));
    load_plugins(targets, plugin_dirs(invocation.options, settings), plugins);
    return targets;
  }
  config::Config loaded = load_configuration(invocation.options);
  if (named)
    targets.servers.push_back(find_server(loaded, invocation.words[1]));
  else
    std::copy_if(loaded.servers.begin(), loaded.servers.end(), std::back_inserter(targets.servers),
                 [](const config::ServerConfig& server) { return server.enabled; });
  load_plugins(targets, plugin_dirs(invocation.options, &loaded.settings), plugins);
  return targets;
}

}  // namespace mcpauth::cli
