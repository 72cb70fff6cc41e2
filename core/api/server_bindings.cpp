#include "server_bindings.h"

#include "mcpauth/core/log.h"

namespace mcpauth::api {

ServerBindings::ServerBindings(const std::vector<config::ServerConfig>& servers, const core::PluginRegistry& registry) {
  for (const config::ServerConfig& server : servers) {
    ServerEntry entry{server, nullptr};
    if (server.enabled) {
      try {
        entry.binding = std::make_unique<core::ServerBinding>(registry, server);
      } catch (const std::exception& e) {  // BindingError, or anything else a plugin threw
        core::log(core::LogLevel::error, "serve", std::string(e.what()) + " (the server is unavailable)");
      }
    }
    entries_.push_back(std::move(entry));
  }
}

const ServerEntry* ServerBindings::find(const std::string& name) const {
  for (const ServerEntry& entry : entries_)
    if (entry.config.name == name) return &entry;
  return nullptr;
}

}  // namespace mcpauth::api
