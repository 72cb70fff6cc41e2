#include "mcpauth/config/expand.h"

#include "mcpauth/config/json_tree.h"

#include <Poco/JSON/Array.h>

#include <cctype>
#include <filesystem>
#include <optional>

namespace mcpauth::config {
namespace {

using Poco::Dynamic::Var;

// NAME when s is exactly "${NAME}" with NAME = [A-Za-z_][A-Za-z0-9_]*.
std::optional<std::string> whole_variable(const std::string& s) {
  if (s.size() < 4 || !s.starts_with("${") || !s.ends_with('}')) return std::nullopt;
  const std::string name = s.substr(2, s.size() - 3);
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return std::nullopt;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  }
  return name;
}

Var expand_value(const Var& value, const Location& where, const Context& ctx) {
  if (value.isString()) {
    const auto name = whole_variable(value.extract<std::string>());
    if (!name) return value;
    auto expanded = ctx.getenv(*name);
    if (!expanded) throw ConfigError(where, "environment variable '" + *name + "' is not set");
    return *expanded;
  }
  if (auto object = as_object(value)) {
    for (const auto& key : object->getNames()) {
      object->set(key, expand_value(object->get(key), where.key(key), ctx));
    }
  } else if (auto array = as_array(value)) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      array->set(static_cast<unsigned>(i), expand_value(array->get(i), where.index(i), ctx));
    }
  }
  return value;
}

bool is_path_key(const std::string& key) {
  return key == "path" || key.ends_with("_path") || key.ends_with("_dir") || key.ends_with("_file");
}

}  // namespace

void expand_env(Poco::JSON::Object& root, const std::string& file, const Context& ctx) {
  for (const auto& key : root.getNames()) root.set(key, expand_value(root.get(key), entry_location(file, key), ctx));
}

std::string expand_tilde(const std::string& path, const Location& where, const Context& ctx) {
  if (path != "~" && !path.starts_with("~/")) return path;  // "~user" is left alone
  if (ctx.home.empty()) {
    throw ConfigError(where, "cannot expand '~': the home directory is unknown (HOME is not set)");
  }
  if (path == "~") return ctx.home;
  return (std::filesystem::path(ctx.home) / path.substr(2)).string();
}

void expand_path_keys(Poco::JSON::Object& config, const Location& where, const Context& ctx) {
  for (const auto& key : config.getNames()) {
    const Var value = config.get(key);
    if (auto nested = as_object(value)) {
      expand_path_keys(*nested, where.key(key), ctx);
    } else if (value.isString() && is_path_key(key)) {
      config.set(key, expand_tilde(value.extract<std::string>(), where.key(key), ctx));
    }
  }
}

void resolve_plugin_dirs(Poco::JSON::Object& root, const std::string& file, const Context& ctx) {
  auto settings = get_object(root, std::string(kSettingsKey));
  auto dirs = settings ? as_array(settings->get("plugin_dirs")) : nullptr;
  if (!dirs) return;
  const auto base = std::filesystem::absolute(file).parent_path();
  const Location where = entry_location(file, std::string(kSettingsKey)).key("plugin_dirs");
  for (std::size_t i = 0; i < dirs->size(); ++i) {
    const std::filesystem::path dir = expand_tilde(dirs->get(i).extract<std::string>(), where.index(i), ctx);
    // operator/ drops base when dir is absolute.
    dirs->set(static_cast<unsigned>(i), (base / dir).lexically_normal().string());
  }
}

}  // namespace mcpauth::config
