// Which servers login, logout and status are about: a configured one named on the command line,
// the ad-hoc one of --url, or (status only) every enabled configured server.
#pragma once

#include "cli.h"

#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_registry.h"

#include <vector>

namespace mcpauth::cli {

// Which plugins target_servers loads: every one in the plugin directories, or only the servers'
// own (`token`, where a cold start should be quick).
enum class PluginsToLoad { all, servers_own };

struct TargetServers {
  std::vector<config::ServerConfig> servers;
  core::PluginRegistry registry;  // loaded from the directories the configuration (or options) name
};

// words[1] is a server name, or --url is given. With neither: every enabled server when
// all_when_unnamed, else a UsageError. Throws config::ConfigError, or std::runtime_error for an
// unknown server name.
TargetServers target_servers(const Invocation& invocation, bool all_when_unnamed,
                             PluginsToLoad plugins = PluginsToLoad::all);

}  // namespace mcpauth::cli
