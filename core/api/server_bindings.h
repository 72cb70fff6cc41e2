// Every configured server with its binding, made once at start. A server whose binding fails
// is kept (and logged) as unavailable, so the routes can say so while the others work.
#pragma once

#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_registry.h"
#include "mcpauth/core/server_binding.h"

#include <memory>
#include <string>
#include <vector>

namespace mcpauth::api {

struct ServerEntry {
  config::ServerConfig config;
  std::unique_ptr<core::ServerBinding> binding;  // null when disabled or unavailable
};

class ServerBindings {
 public:
  // Binds every enabled server.
  ServerBindings(const std::vector<config::ServerConfig>& servers, const core::PluginRegistry& registry);

  // The server with exactly this name (enabled or not), or null.
  const ServerEntry* find(const std::string& name) const;
  const std::vector<ServerEntry>& all() const { return entries_; }

 private:
  std::vector<ServerEntry> entries_;  // sorted by name, as the configuration is
};

}  // namespace mcpauth::api
