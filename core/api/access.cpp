#include "access.h"

#include "http_error.h"
#include "identity.h"

namespace mcpauth::api {

const std::string& require_user(ApiContext& api, Exchange& exchange) {
  exchange.user = authenticate(exchange.request(), api.settings);
  return exchange.user;
}

void require_admin(ApiContext& api, const Exchange& exchange) {
  if (!api.groups.is_member(exchange.user, api.settings.admin_group))
    throw HttpError(403, "Admin access required. User must be in '" + api.settings.admin_group + "' group.");
}

const ServerEntry& require_server(const ApiContext& api, const Exchange& exchange) {
  const ServerEntry* server = api.bindings.find(exchange.server);
  if (server == nullptr) throw HttpError(404, "MCP server '" + exchange.server + "' not found in configuration");
  if (!server->config.enabled)
    throw HttpError(404, "MCP server '" + exchange.server + "' is disabled in configuration");
  return *server;
}

void require_server_access(ApiContext& api, const Exchange& exchange, const ServerEntry& server) {
  if (!api.groups.in_any(exchange.user, server.config.groups))
    throw HttpError(403, "Not authorized to access server '" + server.config.name + "'");
}

core::ServerBinding& require_binding(const ServerEntry& server) {
  if (!server.binding)
    throw HttpError(503, "MCP server '" + server.config.name +
                             "' is unavailable: its plugins could not be set up (see the server's log)");
  return *server.binding;
}

const ServerEntry& require_usable_server(ApiContext& api, Exchange& exchange) {
  require_user(api, exchange);
  const ServerEntry& server = require_server(api, exchange);
  require_server_access(api, exchange, server);
  require_binding(server);
  return server;
}

}  // namespace mcpauth::api
