#include "mcpauth/config/build.h"

#include "mcpauth/config/expand.h"
#include "mcpauth/config/json_tree.h"

#include <algorithm>

namespace mcpauth::config {
namespace {

using Poco::JSON::Object;

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
