// `mcpauth logout`: the auth plugin forgets (and where it can, revokes) the stored credentials.
#include "commands.h"
#include "status_summary.h"
#include "target_servers.h"

#include "mcpauth/core/server_binding.h"

#include <iostream>

namespace mcpauth::cli {

int run_logout(const Invocation& invocation) {
  TargetServers targets = target_servers(invocation, false);
  const config::ServerConfig& server = targets.servers.front();
  core::ServerBinding binding(targets.registry, server);
  binding.auth().logout("");
  std::cout << "Logged out of '" << server.name << "': plugin " << server.auth.plugin
            << " removed the stored credentials (revoking them where the server supports it)\n"
            << "  " << status_line(binding.auth()) << "\n";
  return 0;
}

}  // namespace mcpauth::cli
