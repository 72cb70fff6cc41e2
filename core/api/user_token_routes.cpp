// Per-user routes: each user's sign-in state on the servers they may use, and their own tokens.
#include "access.h"
#include "handlers.h"
#include "http_error.h"
#include "json_fields.h"
#include "status_view.h"
#include "stored_tokens.h"

#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"

#include <Poco/JSON/Array.h>

#include <cmath>
#include <sstream>

namespace mcpauth::api {
namespace {

using Poco::Dynamic::Var;

Poco::JSON::Object status_entry(const ApiContext& api, const ServerEntry& server, const std::string& user) {
  if (!server.binding) return unavailable_status_entry(server.config);
  try {
    Poco::JSON::Object::Ptr status = parse_status(server.binding->auth().status(user));
    const bool oauth = atlas_auth_type(server.config, *status) == "oauth";
    return user_status_entry(server.config, *status, oauth ? api.oauth_url(server.config.name, "start") : "");
  } catch (const core::PluginError& e) {
    core::log(core::LogLevel::warn, "serve", e.what());
    return unavailable_status_entry(server.config);
  }
}

// {"expires_at": <Unix s>, "scopes": [...]} from the optional fields of the upload.
Poco::JSON::Object token_metadata(const Poco::JSON::Object& body) {
  Poco::JSON::Object metadata(Poco::JSON_PRESERVE_KEY_ORDER);
  const Var& expires_at = body.get("expires_at");
  if (!expires_at.isEmpty()) {
    const double seconds = expires_at.isNumeric() && !expires_at.isBoolean() ? expires_at.convert<double>() : -1;
    if (!std::isfinite(seconds) || seconds <= 0 || seconds > 1e12)
      throw HttpError(422, "Field 'expires_at' must be a Unix time in seconds, or null");
    metadata.set("expires_at", static_cast<int64_t>(seconds));
  }
  const Var& scopes = body.get("scopes");
  if (!scopes.isEmpty()) {
    const std::string problem = "Field 'scopes' must be a space-separated string or a list of strings, or null";
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    if (scopes.isString()) {
      std::istringstream words(scopes.extract<std::string>());
      for (std::string word; words >> word;) list->add(word);
    } else if (Poco::JSON::Array::Ptr given = body.getArray("scopes")) {
      for (const Var& scope : *given) {
        if (!scope.isString()) throw HttpError(422, problem);
        list->add(scope);
      }
    } else {
      throw HttpError(422, problem);
    }
    metadata.set("scopes", list);
  }
  return metadata;
}

std::string json_text(const Poco::JSON::Object& object) {
  std::ostringstream text;
  object.stringify(text);
  return text.str();
}

}  // namespace

void handle_auth_status(ApiContext& api, Exchange& exchange) {
  const std::string& user = require_user(api, exchange);
  Poco::JSON::Array::Ptr servers = new Poco::JSON::Array;
  for (const ServerEntry& server : api.bindings.all()) {
    if (server.config.enabled && api.groups.in_any(user, server.config.groups))
      servers->add(status_entry(api, server, user));
  }
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("servers", servers);
  body.set("user", user);
  exchange.send_json(200, body);
}

void handle_user_token_upload(ApiContext& api, Exchange& exchange) {
  const ServerEntry& server = require_usable_server(api, exchange);
  Poco::JSON::Object::Ptr body = exchange.read_json_object();
  refuse_unknown_fields(*body, {"token", "expires_at", "scopes"});
  const std::string token = token_field(*body, "token");
  const Poco::JSON::Object metadata = token_metadata(*body);
  store_uploaded_token(server, exchange.user, token, json_text(metadata));
  // What the plugin now reports, else what was given.
  Poco::JSON::Object entry = status_entry(api, server, exchange.user);
  Poco::JSON::Object answer(Poco::JSON_PRESERVE_KEY_ORDER);
  answer.set("message", "Token stored for server '" + server.config.name + "'");
  answer.set("server_name", server.config.name);
  answer.set("token_type", entry.get("token_type"));
  answer.set("expires_at", entry.get("expires_at").isEmpty() ? metadata.get("expires_at") : entry.get("expires_at"));
  answer.set("scopes", entry.get("scopes").isEmpty() ? scopes_text(metadata) : entry.get("scopes"));
  exchange.send_json(200, answer);
}

void handle_user_token_delete(ApiContext& api, Exchange& exchange) {
  const ServerEntry& server = require_usable_server(api, exchange);
  const std::string not_found = "No token found for server '" + server.config.name + "'";
  if (!has_user_token(*parse_status(server.binding->auth().status(exchange.user)))) throw HttpError(404, not_found);
  remove_stored_token(server, exchange.user, not_found);
  Poco::JSON::Object answer(Poco::JSON_PRESERVE_KEY_ORDER);
  answer.set("message", "Token removed for server '" + server.config.name + "'");
  answer.set("server_name", server.config.name);
  exchange.send_json(200, answer);
}

}  // namespace mcpauth::api
