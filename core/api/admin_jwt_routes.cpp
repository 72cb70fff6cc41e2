// The admin JWT API (Atlas's "Manual JWT Upload"): a server-level token per server, for admins.
#include "access.h"
#include "handlers.h"
#include "http_error.h"
#include "json_fields.h"
#include "status_view.h"
#include "stored_tokens.h"

#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"

#include <Poco/JSON/Array.h>

namespace mcpauth::api {
namespace {

// A bound server that takes a server-level token, and its plugin's status for user "".
struct AdminTarget {
  const ServerEntry& server;
  Poco::JSON::Object::Ptr status;
};

// The checks every admin route on one server starts with. Servers whose users sign in
// themselves (oauth, none) have no server-level JWT: their default user's tokens, if any, belong
// to `mcpauth login`, not to these routes.
AdminTarget admin_target(ApiContext& api, Exchange& exchange) {
  require_user(api, exchange);
  require_admin(api, exchange);
  const ServerEntry& server = require_server(api, exchange);
  Poco::JSON::Object::Ptr status = parse_status(require_binding(server).auth().status(""));
  const std::string auth_type = atlas_auth_type(server.config, *status);
  if (!takes_server_token(auth_type))
    throw HttpError(
        400, "MCP server '" + server.config.name + "' does not take a server-level JWT (auth type " + auth_type + ")");
  return {server, status};
}

Poco::JSON::Object success(const std::string& message, const std::string& server) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("status", "success");
  body.set("message", message);
  body.set("server_name", server);
  return body;
}

}  // namespace

// Atlas's answer ({"servers": those with a JWT, "count"}), plus "accepting": every available
// server that takes a server-level JWT, whatever the admin's own groups, for the admin page.
void handle_admin_jwt_list(ApiContext& api, Exchange& exchange) {
  require_user(api, exchange);
  require_admin(api, exchange);
  Poco::JSON::Array::Ptr servers = new Poco::JSON::Array;
  Poco::JSON::Array::Ptr accepting = new Poco::JSON::Array;
  for (const ServerEntry& server : api.bindings.all()) {
    if (!server.binding) continue;
    try {
      Poco::JSON::Object::Ptr status = parse_status(server.binding->auth().status(""));
      if (!takes_server_token(atlas_auth_type(server.config, *status))) continue;
      accepting->add(server.config.name);
      if (has_server_token(*status)) servers->add(server.config.name);
    } catch (const core::PluginError& e) {  // one server's problem: the others are still listed
      core::log(core::LogLevel::warn, "serve", e.what());
    }
  }
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("servers", servers);
  body.set("count", servers->size());
  body.set("accepting", accepting);
  exchange.send_json(200, body);
}

void handle_admin_jwt_upload(ApiContext& api, Exchange& exchange) {
  const ServerEntry& server = admin_target(api, exchange).server;
  Poco::JSON::Object::Ptr body = exchange.read_json_object();
  refuse_unknown_fields(*body, {"jwt_token"});
  store_uploaded_token(server, "", token_field(*body, "jwt_token"), "{}");
  exchange.send_json(200, success("JWT stored for server '" + server.config.name + "'", server.config.name));
}

// The plugin's status fields after server_name and has_jwt; never the token (status has none).
void handle_admin_jwt_get(ApiContext& api, Exchange& exchange) {
  const auto [server, status] = admin_target(api, exchange);
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("server_name", server.config.name);
  body.set("has_jwt", has_server_token(*status));
  for (const auto& [key, value] : *status)
    if (key != "server_name" && key != "has_jwt") body.set(key, value);
  exchange.send_json(200, body);
}

void handle_admin_jwt_delete(ApiContext& api, Exchange& exchange) {
  const auto [server, status] = admin_target(api, exchange);
  const std::string not_found = "No JWT found for server '" + server.config.name + "'";
  if (!has_server_token(*status)) throw HttpError(404, not_found);
  remove_stored_token(server, "", not_found);
  exchange.send_json(200, success("JWT deleted for server '" + server.config.name + "'", server.config.name));
}

}  // namespace mcpauth::api
