#include "mcpauth/config/build.h"

#include "mcpauth/config/expand.h"
#include "mcpauth/config/json_tree.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace mcpauth::config {
namespace {

using Poco::JSON::Object;

std::optional<int64_t> get_integer(const Object& object, const std::string& key) {
  return object.has(key) ? as_integer(object.get(key)) : std::nullopt;
}

std::string required_string(const Object& object, const std::string& key, const Location& at) {
  std::optional<std::string> value = get_string(object, key);
  if (!value) throw ConfigError(at.key(key), "required");
  return *value;
}

GroupService build_group_service(const Object& object, const Location& at) {
  GroupService out;
  out.url = required_string(object, "url", at);
  out.api_key = required_string(object, "api_key", at);
  out.timeout_ms = get_integer(object, "timeout_ms").value_or(out.timeout_ms);
  out.cache_s = get_integer(object, "cache_s").value_or(out.cache_s);
  return out;
}

TlsFiles build_tls(const Object& object, const Location& at, const Context& ctx) {
  return TlsFiles{expand_tilde(required_string(object, "cert_file", at), at.key("cert_file"), ctx),
                  expand_tilde(required_string(object, "key_file", at), at.key("key_file"), ctx)};
}

ServeLimits build_limits(const Object& object) {
  ServeLimits out;
  out.max_body_bytes = get_integer(object, "max_body_bytes").value_or(out.max_body_bytes);
  out.max_header_bytes = get_integer(object, "max_header_bytes").value_or(out.max_header_bytes);
  out.max_connections = get_integer(object, "max_connections").value_or(out.max_connections);
  out.timeout_s = get_integer(object, "timeout_s").value_or(out.timeout_s);
  return out;
}

Settings build_settings(const Object& object, const std::string& file, Context& ctx) {
  Settings out;
  const Location at = entry_location(file, std::string(kSettingsKey));
  out.plugin_dirs = get_strings(object, "plugin_dirs");
  out.listen = get_string(object, "listen").value_or(out.listen);
  out.admin_group = get_string(object, "admin_group").value_or(out.admin_group);
  if (auto storage = get_object(object, "default_storage")) {
    out.default_storage = read_plugin_choice(*storage, at.key("default_storage"));
    expand_path_keys(*out.default_storage->config, at.key("default_storage").key("config"), ctx);
  }
  if (auto base = get_string(object, "public_base_url")) {
    while (base->ends_with('/')) base->pop_back();
    out.public_base_url = *base;
  }
  out.ui_redirect = get_string(object, "ui_redirect").value_or(out.ui_redirect);
  out.identity_header = get_string(object, "identity_header").value_or(out.identity_header);
  out.proxy_secret_header = get_string(object, "proxy_secret_header").value_or(out.proxy_secret_header);
  out.proxy_secret = get_string(object, "proxy_secret");
  out.mode = get_string(object, "mode").value_or(out.mode);
  out.dev_user = get_string(object, "dev_user");
  if (auto table = get_object(object, "user_groups")) {
    for (const auto& [user, groups] : *table) {
      if (!groups.isEmpty()) out.user_groups[user] = get_strings(*table, user);
    }
  }
  if (auto service = get_object(object, "group_service"))
    out.group_service = build_group_service(*service, at.key("group_service"));
  if (auto tls = get_object(object, "tls")) out.tls = build_tls(*tls, at.key("tls"), ctx);
  if (auto limits = get_object(object, "limits")) out.limits = build_limits(*limits);
  return out;
}

ServerConfig build_server(const std::string& name, const Object& server, const std::string& file,
                          const Settings& settings, Context& ctx) {
  const Location at{file, name, ""};
  ServerConfig out;
  out.name = name;
  out.source_file = file;
  out.transport = get_string(server, "transport").value_or("http");
  if (out.transport == "streamable-http") out.transport = "http";
  out.url = get_string(server, "url").value_or("");
  out.command = get_string(server, "command").value_or("");
  if (out.transport == "stdio") {
    if (out.command.empty()) throw ConfigError(at.key("command"), "required for transport 'stdio'");
  } else if (out.url.empty()) {
    throw ConfigError(at.key("url"), "required for transport '" + out.transport + "'");
  }
  out.groups = get_strings(server, "groups");
  out.description = get_string(server, "description").value_or("");
  out.enabled = get_bool(server, "enabled").value_or(true);
  out.args = get_strings(server, "args");
  out.cwd = get_string(server, "cwd").value_or("");
  if (auto env = get_object(server, "env")) {
    for (const auto& [key, value] : *env) {
      if (!value.isEmpty()) out.env[key] = value.extract<std::string>();
    }
  }
  out.auth = resolve_auth(server, at, ctx);
  out.storage = resolve_storage(server, out.auth, settings.default_storage, at, ctx);
  expand_path_keys(*out.auth.config, at.key("auth").key("config"), ctx);
  expand_path_keys(*out.storage.config, at.key("storage").key("config"), ctx);
  return out;
}

}  // namespace

Config build_config(const Object& merged, const std::map<std::string, std::string>& origins, Context& ctx) {
  Config config;
  const std::string settings_key(kSettingsKey);
  if (auto settings = get_object(merged, settings_key)) {
    config.settings = build_settings(*settings, origins.at(settings_key), ctx);
  }
  for (const auto& [name, value] : merged) {
    if (name == settings_key) continue;
    config.servers.push_back(build_server(name, *as_object(value), origins.at(name), config.settings, ctx));
  }
  std::sort(config.servers.begin(), config.servers.end(),
            [](const ServerConfig& a, const ServerConfig& b) { return a.name < b.name; });
  return config;
}

}  // namespace mcpauth::config
