// Choosing the auth and storage plugins of a server.
#include "mcpauth/config/build.h"

#include "mcpauth/config/json_tree.h"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace mcpauth::config {
namespace {

using Poco::JSON::Object;

bool oauth_enabled(const Object& server) {
  auto oauth = get_object(server, "oauth_config");
  return oauth && get_bool(*oauth, "enabled").value_or(false);
}

Poco::JSON::Array::Ptr scope_list(const Poco::Dynamic::Var& scopes) {
  if (as_array(scopes)) return as_array(deep_copy(scopes));
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  std::istringstream words(scopes.extract<std::string>());
  for (std::string word; words >> word;) list->add(word);
  return list;
}

// oauth_config without enabled and token_storage_path (storage is chosen separately);
// scopes always a list; Atlas's default client name.
Object::Ptr oauth21_config(const Object::Ptr& oauth) {
  Object::Ptr config = new Object;
  if (oauth) {
    for (const auto& [key, value] : *oauth) {
      if (value.isEmpty() || key == "enabled" || key == "token_storage_path") continue;
      config->set(key, key == "scopes" ? Poco::Dynamic::Var(scope_list(value)) : deep_copy(value));
    }
  }
  if (!config->has("client_name")) config->set("client_name", "Atlas UI 3");
  return config;
}

bool has_atlas_auth_fields(const Object& server) {
  for (const char* key : {"auth_type", "auth_token", "auth_header", "oauth_config"}) {
    if (!server.isNull(key)) return true;
  }
  return false;
}

}  // namespace

PluginChoice read_plugin_choice(const Object& choice, const Location& where) {
  auto plugin = get_string(choice, "plugin");
  if (!plugin) throw ConfigError(where.key("plugin"), "required");
  auto config = get_object(choice, "config");
  return {*plugin, config ? deep_copy_object(config) : Object::Ptr(new Object)};
}

PluginChoice map_atlas_auth(const Object& server) {
  const std::string type = get_string(server, "auth_type").value_or("none");
  if (type == "oauth" || oauth_enabled(server)) {
    return {"oauth21", oauth21_config(get_object(server, "oauth_config"))};
  }
  if (type == "none") return {"none", new Object};

  Object::Ptr config = new Object;  // bearer, jwt, api_key
  config->set("auth_type", type);
  if (auto token = get_string(server, "auth_token")) config->set("auth_token", *token);
  auto header = get_string(server, "auth_header");
  if (!header && type == "api_key") header = "X-API-Key";
  if (header) config->set("auth_header", *header);
  return {"manual_jwt", config};
}

PluginChoice resolve_auth(const Object& server, const Location& where, Context& ctx) {
  PluginChoice mapped = map_atlas_auth(server);
  if (auto explicit_auth = get_object(server, "auth")) {
    PluginChoice chosen = read_plugin_choice(*explicit_auth, where.key("auth"));
    if (has_atlas_auth_fields(server) && chosen.plugin != mapped.plugin) {
      ctx.warn(where, "explicit auth plugin '" + chosen.plugin + "' is used; the Atlas auth fields (which map to '" +
                          mapped.plugin + "') are ignored");
    }
    return chosen;
  }
  const auto type = get_string(server, "auth_type");
  if (mapped.plugin == "oauth21" && type && *type != "oauth" && *type != "none") {
    ctx.warn(where.key("auth_type"), "ignored: oauth_config.enabled is true, so the server uses OAuth");
  }
  return mapped;
}

namespace {

// The encrypted stores name their key variable in "encryption_key_env" (default: the OAuth one).
void use_jwt_key_variable(PluginChoice& storage) {
  const bool encrypted = storage.plugin == "fernet_file" || storage.plugin == "sqlite";
  if (encrypted && !storage.config->has("encryption_key_env")) {
    storage.config->set("encryption_key_env", "JWT_STORAGE_ENCRYPTION_KEY");
  }
}

PluginChoice mapped_storage(const Object& server, const std::optional<PluginChoice>& default_storage) {
  auto oauth = get_object(server, "oauth_config");
  const auto token_path = oauth ? get_string(*oauth, "token_storage_path") : std::nullopt;
  if (token_path) {
    Object::Ptr config = new Object;
    config->set("path", *token_path);
    return {"fernet_file", config};
  }
  if (default_storage) return {default_storage->plugin, deep_copy_object(default_storage->config)};
  return {"memory", new Object};
}

}  // namespace

PluginChoice resolve_storage(const Object& server, const PluginChoice& auth,
                             const std::optional<PluginChoice>& default_storage, const Location& where, Context& ctx) {
  auto oauth = get_object(server, "oauth_config");
  const auto token_path = oauth ? get_string(*oauth, "token_storage_path") : std::nullopt;
  if (auto explicit_storage = get_object(server, "storage")) {
    PluginChoice chosen = read_plugin_choice(*explicit_storage, where.key("storage"));
    if (token_path) {
      ctx.warn(where,
               "explicit storage plugin '" + chosen.plugin + "' is used; oauth_config.token_storage_path is ignored");
    }
    return chosen;
  }
  PluginChoice storage = mapped_storage(server, default_storage);
  if (auth.plugin == "manual_jwt") use_jwt_key_variable(storage);
  return storage;
}

}  // namespace mcpauth::config
