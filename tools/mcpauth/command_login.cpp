// `mcpauth login`: sign in to one server, through the browser or (client credentials) without.
#include "commands.h"
#include "login_settings.h"
#include "loopback_login.h"
#include "status_summary.h"
#include "target_servers.h"

#include "mcpauth/core/server_binding.h"

#include <iostream>

namespace mcpauth::cli {

int run_login(const Invocation& invocation) {
  TargetServers targets = target_servers(invocation, false);
  const config::ServerConfig& server = targets.servers.front();
  const LoginSettings settings = login_settings(server, invocation.login);
  core::ServerBinding binding(targets.registry, server);
  if (settings.client_credentials) {
    binding.auth().refresh("");  // the plugin fetches a token with its own client credentials
    std::cout << "Logged in to '" << server.name << "' (client credentials, no browser needed)\n";
  } else {
    loopback_login(binding, settings, invocation.login.no_browser);
    std::cout << "Logged in to '" << server.name << "'\n";
  }
  std::cout << "  " << status_line(binding.auth()) << "\n";
  return 0;
}

}  // namespace mcpauth::cli
