// `mcpauth token`: a valid access token on stdout, for scripts. Nothing else goes to stdout, so
// "$(mcpauth token s)" is the token or the command failed.
#include "commands.h"
#include "target_servers.h"

#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/core/server_binding.h"

#include <Poco/String.h>

#include <iostream>
#include <optional>

namespace mcpauth::cli {
namespace {

// The credential the plugin put in the request: the token of "Authorization: Bearer <token>",
// else the value of its one header (an API key header); nullopt when it adds none.
std::optional<std::string> credential_of(const core::HeaderList& headers) {
  for (const auto& [name, value] : headers) {
    if (Poco::icompare(name, "Authorization") == 0 && Poco::icompare(value.substr(0, 7), "Bearer ") == 0)
      return value.substr(7);
  }
  if (headers.size() == 1) return headers.front().second;
  return std::nullopt;
}

std::string how_to_sign_in(const Invocation& invocation, const std::string& server) {
  if (invocation.user)
    return "sign in on the page of 'mcpauth serve' as " + *invocation.user + ", or ask an admin for a server JWT";
  if (invocation.adhoc.url) return "run: mcpauth login --url " + *invocation.adhoc.url;
  return "run: mcpauth login " + server;
}

}  // namespace

int run_token(const Invocation& invocation) {
  // Notes (such as where a store keeps its keys) are for --log-level info: scripts want the token.
  if (!invocation.options.log_level) core::set_log_level(core::LogLevel::warn);
  TargetServers targets = target_servers(invocation, false, PluginsToLoad::servers_own);
  const config::ServerConfig& server = targets.servers.front();
  core::ServerBinding binding(targets.registry, server);
  core::HeaderList headers;
  try {
    headers = binding.auth().get_credentials(invocation.user.value_or(""));
  } catch (const core::PluginError& e) {
    if (e.status() != MCPAUTH_ERR_AUTH_REQUIRED) throw;
    std::cerr << "mcpauth: no valid token for '" << server.name << "': " << e.what() << "\n  "
              << how_to_sign_in(invocation, server.name) << "\n";
    return 1;
  }
  const std::optional<std::string> token = credential_of(headers);
  if (!token) {
    std::cerr << "mcpauth: server '" << server.name << "' takes no token (auth plugin " << server.auth.plugin
              << " adds " << (headers.empty() ? "no credentials" : "several headers") << ")\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace mcpauth::cli
