#include "status_view.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace mcpauth::api {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

std::optional<std::string> string_field(const Object& object, const std::string& key) {
  Var value = object.get(key);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

std::optional<bool> bool_field(const Object& object, const std::string& key) {
  Var value = object.get(key);
  if (!value.isBoolean()) return std::nullopt;
  return value.extract<bool>();
}

Var number_field(const Object& object, const std::string& key) {
  Var value = object.get(key);
  return value.isNumeric() && !value.isBoolean() ? value : Var();
}

bool auth_required(const Object& status, const std::string& auth_type) {
  return bool_field(status, "auth_required").value_or(auth_type != "none");
}

}  // namespace

Var scopes_text(const Object& object) {
  Var scopes = object.get("scopes");
  if (scopes.isString()) return scopes;
  Poco::JSON::Array::Ptr list = object.getArray("scopes");
  if (!list) return Var();
  std::string text;
  for (const Var& scope : *list)
    if (scope.isString()) text += (text.empty() ? "" : " ") + scope.extract<std::string>();
  return text;
}

Poco::JSON::Object::Ptr parse_status(const std::string& json) {
  try {
    Var parsed = Poco::JSON::Parser().parse(json);
    if (parsed.type() == typeid(Object::Ptr)) return parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {  // a plugin's bug: report it as "nothing known"
  }
  return new Object;
}

std::string atlas_auth_type(const config::ServerConfig& server, const Object& status) {
  if (std::optional<std::string> type = string_field(status, "auth_type")) return *type;
  if (server.auth.plugin == "oauth21") return "oauth";
  if (std::optional<std::string> type = string_field(*server.auth.config, "auth_type")) return *type;
  return server.auth.plugin;
}

bool takes_server_token(const std::string& auth_type) {
  return auth_type == "jwt" || auth_type == "bearer" || auth_type == "api_key";
}

bool has_server_token(const Object& status) { return string_field(status, "source") == "server"; }

Var token_source(const Object& status) {
  if (std::optional<std::string> source = string_field(status, "source")) return *source;
  const bool signed_in =
      bool_field(status, "authenticated").value_or(false) && bool_field(status, "auth_required").value_or(true);
  return signed_in ? Var("user") : Var();
}

bool has_user_token(const Object& status) { return token_source(status) == "user"; }

Object user_status_entry(const config::ServerConfig& server, const Object& status, const std::string& oauth_start_url) {
  const std::string auth_type = atlas_auth_type(server, status);
  const bool authenticated = bool_field(status, "authenticated").value_or(false);
  Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
  entry.set("server_name", server.name);
  entry.set("description", server.description);
  entry.set("available", true);
  entry.set("auth_type", auth_type);
  entry.set("auth_required", auth_required(status, auth_type));
  entry.set("authenticated", authenticated);
  Var token_type = string_field(status, "token_type") ? status.get("token_type") : Var();
  if (token_type.isEmpty() && authenticated) token_type = auth_type;
  entry.set("token_type", token_type);
  std::optional<bool> expired = bool_field(status, "is_expired");
  entry.set("is_expired", expired ? Var(*expired) : Var());
  Var expires_at = number_field(status, "expires_at");
  entry.set("expires_at", expires_at.isEmpty() ? number_field(status, "exp") : expires_at);
  entry.set("time_until_expiry", number_field(status, "expires_in"));
  entry.set("has_refresh_token", bool_field(status, "has_refresh_token").value_or(false));
  entry.set("scopes", scopes_text(status));
  entry.set("oauth_start_url", oauth_start_url.empty() ? Var() : Var(oauth_start_url));
  entry.set("token_source", token_source(status));
  return entry;
}

Object unavailable_status_entry(const config::ServerConfig& server) {
  Object entry = user_status_entry(server, Object(), "");
  entry.set("available", false);
  entry.set("detail", "MCP server '" + server.name + "' is unavailable: its plugins could not be set up");
  return entry;
}

}  // namespace mcpauth::api
