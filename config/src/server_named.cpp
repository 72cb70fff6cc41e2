// Looking up a server of the configuration by name.
#include "mcpauth/config/config.h"

#include <algorithm>

namespace mcpauth::config {

const ServerConfig* server_named(const Config& config, std::string_view name) {
  auto found = std::find_if(config.servers.begin(), config.servers.end(),
                            [&](const ServerConfig& server) { return server.name == name; });
  return found == config.servers.end() ? nullptr : &*found;
}

}  // namespace mcpauth::config
