#include "mcpauth/config/check.h"

#include "mcpauth/config/json_tree.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace mcpauth::config {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

using Checker = void (*)(const Var&, const Location&, Context&);

struct Rule {
  std::string_view key;
  Checker check;
};

[[noreturn]] void wrong_type(const Var& value, const Location& at, const std::string& expected) {
  throw ConfigError(at, "must be " + expected + ", got " + type_name(value));
}

const Object& object_value(const Var& value, const Location& at) {
  auto object = as_object(value);
  if (!object) wrong_type(value, at, "an object");
  return *object;
}

// Checks the known keys of `object` (skipping nulls) and reports the unknown ones.
void check_fields(const Object& object, std::span<const Rule> rules, const Location& at, Context& ctx,
                  std::string_view unknown_note) {
  for (const auto& [key, value] : object) {
    const auto rule = std::find_if(rules.begin(), rules.end(), [&name = key](const Rule& r) { return r.key == name; });
    if (rule == rules.end()) {
      ctx.unknown_key(at.key(key), unknown_note);
    } else if (!value.isEmpty()) {
      rule->check(value, at.key(key), ctx);
    }
  }
}

// Leaf checkers.

// Keys Atlas UI 3 reads for its own display and tool policy: valid here, not used by mcpauth.
void atlas_ui_field(const Var&, const Location&, Context&) {}

void string_value(const Var& value, const Location& at, Context&) {
  if (!value.isString()) wrong_type(value, at, "a string");
}

void non_empty_string(const Var& value, const Location& at, Context& ctx) {
  string_value(value, at, ctx);
  if (value.extract<std::string>().empty()) throw ConfigError(at, "must not be empty");
}

void boolean(const Var& value, const Location& at, Context&) {
  if (!value.isBoolean()) wrong_type(value, at, "a boolean (true or false)");
}

void any_object(const Var& value, const Location& at, Context&) { object_value(value, at); }

void each_item(const Var& value, const Location& at, Context& ctx, Checker item) {
  auto array = as_array(value);
  if (!array) wrong_type(value, at, "a list");
  for (std::size_t i = 0; i < array->size(); ++i) item(array->get(i), at.index(i), ctx);
}

void string_list(const Var& value, const Location& at, Context& ctx) { each_item(value, at, ctx, string_value); }

void non_empty_string_list(const Var& value, const Location& at, Context& ctx) {
  each_item(value, at, ctx, non_empty_string);
}

// An object of strings; null values count as absent (so overrides can remove entries).
void string_map(const Var& value, const Location& at, Context& ctx) {
  for (const auto& [key, item] : object_value(value, at)) {
    if (!item.isEmpty()) string_value(item, at.key(key), ctx);
  }
}

void one_of(const Var& value, const Location& at, std::initializer_list<std::string_view> allowed) {
  if (!value.isString()) wrong_type(value, at, "a string");
  const auto s = value.extract<std::string>();
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw ConfigError(at, "must be one of: " + list);
}

void transport(const Var& value, const Location& at, Context&) {
  one_of(value, at, {"http", "sse", "stdio", "streamable-http"});
}

void auth_type(const Var& value, const Location& at, Context&) {
  one_of(value, at, {"none", "bearer", "jwt", "api_key", "oauth"});
}

void url(const Var& value, const Location& at, Context& ctx) {
  non_empty_string(value, at, ctx);
  const auto s = value.extract<std::string>();
  bool ok = false;
  try {
    const Poco::URI uri(s);
    ok = (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty() &&
         std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  } catch (const Poco::Exception&) {  // Poco::URI rejects some malformed URLs by throwing
  }
  if (!ok) throw ConfigError(at, "must be an http:// or https:// URL with a host");
}

bool valid_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return false;
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  const int port = std::stoi(std::string(digits));
  return port >= 1 && port <= 65535;
}

void port(const Var& value, const Location& at, Context&) {
  const auto n = as_integer(value);
  if (!n || *n < 1 || *n > 65535) throw ConfigError(at, "must be an integer from 1 to 65535, or null");
}

void listen(const Var& value, const Location& at, Context& ctx) {
  non_empty_string(value, at, ctx);
  const auto s = value.extract<std::string>();
  const auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || !valid_port(std::string_view(s).substr(colon + 1))) {
    throw ConfigError(at, "must be host:port with a port from 1 to 65535");
  }
}

template <int64_t Min, int64_t Max>
void integer_in(const Var& value, const Location& at, Context&) {
  const auto n = as_integer(value);
  if (!n || *n < Min || *n > Max)
    throw ConfigError(at, "must be an integer from " + std::to_string(Min) + " to " + std::to_string(Max));
}

// An http(s) base URL that paths are appended to: no query or fragment.
void base_url(const Var& value, const Location& at, Context& ctx) {
  url(value, at, ctx);
  if (value.extract<std::string>().find_first_of("?#") != std::string::npos)
    throw ConfigError(at, "must be a URL without a query or fragment");
}

// Where the browser is sent back to: a path on this site or an http(s) URL.
void redirect_target(const Var& value, const Location& at, Context& ctx) {
  non_empty_string(value, at, ctx);
  const auto s = value.extract<std::string>();
  const bool local_path = s[0] == '/' && !s.starts_with("//") && !s.starts_with("/\\") &&
                          std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  if (!local_path) {
    try {
      url(value, at, ctx);
    } catch (const ConfigError&) {
      throw ConfigError(at, "must be a path starting with a single '/' or an http:// or https:// URL");
    }
  }
}

void header_name(const Var& value, const Location& at, Context& ctx) {
  non_empty_string(value, at, ctx);
  const auto s = value.extract<std::string>();
  const bool ok = s.size() <= 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
                    return std::isalnum(c) || c == '-' || c == '_';
                  });
  if (!ok) throw ConfigError(at, "must be an HTTP header name: 1-64 characters of A-Z, a-z, 0-9, - and _");
}

void mode(const Var& value, const Location& at, Context&) { one_of(value, at, {"development", "production"}); }

// user -> list of groups; null values count as absent.
void user_groups(const Var& value, const Location& at, Context& ctx) {
  for (const auto& [user, groups] : object_value(value, at)) {
    if (!groups.isEmpty()) non_empty_string_list(groups, at.key(user), ctx);
  }
}

void scopes(const Var& value, const Location& at, Context& ctx) {
  if (value.isString()) return;
  if (!as_array(value)) wrong_type(value, at, "a space-separated string or a list of strings");
  each_item(value, at, ctx, non_empty_string);
}

void plugin_id(const Var& value, const Location& at, Context& ctx) {
  non_empty_string(value, at, ctx);
  const auto s = value.extract<std::string>();
  const bool ok = s.size() <= 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
                    return std::islower(c) || std::isdigit(c) || c == '_';
                  });
  if (!ok) throw ConfigError(at, "must be a plugin id: 1-64 characters of a-z, 0-9 and _");
}

// Objects with their own keys.

constexpr Rule kPluginChoiceRules[] = {{"plugin", plugin_id}, {"config", any_object}};

void plugin_choice(const Var& value, const Location& at, Context& ctx) {
  check_fields(object_value(value, at), kPluginChoiceRules, at, ctx, "(ignored)");
}

constexpr Rule kOAuthRules[] = {
    {"enabled", boolean},
    {"scopes", scopes},
    {"client_name", string_value},
    {"callback_port", port},
    {"token_storage_path", non_empty_string},
    {"additional_metadata", any_object},
    {"client_id", string_value},
    {"client_secret", string_value},
};

void oauth_config(const Var& value, const Location& at, Context& ctx) {
  check_fields(object_value(value, at), kOAuthRules, at, ctx, "(passed to the oauth21 plugin)");
}

constexpr Rule kServerRules[] = {
    {"url", url},
    {"transport", transport},
    {"groups", non_empty_string_list},
    {"description", string_value},
    {"enabled", boolean},
    {"command", non_empty_string},
    {"args", string_list},
    {"cwd", string_value},
    {"env", string_map},
    {"auth_type", auth_type},
    {"auth_token", string_value},
    {"auth_header", non_empty_string},
    {"oauth_config", oauth_config},
    {"auth", plugin_choice},
    {"storage", plugin_choice},
    {"short_description", atlas_ui_field},
    {"author", atlas_ui_field},
    {"help_email", atlas_ui_field},
    {"info_url", atlas_ui_field},
    {"logo_url", atlas_ui_field},
    {"compliance_level", atlas_ui_field},
    {"is_exclusive", atlas_ui_field},
    {"require_approval", atlas_ui_field},
    {"allow_edit", atlas_ui_field},
};

constexpr Rule kGroupServiceRules[] = {
    {"url", url},
    {"api_key", non_empty_string},
    {"timeout_ms", integer_in<1, 600'000>},
    {"cache_s", integer_in<0, 86'400>},
};

void group_service(const Var& value, const Location& at, Context& ctx) {
  check_fields(object_value(value, at), kGroupServiceRules, at, ctx, "(ignored)");
}

constexpr Rule kTlsRules[] = {{"cert_file", non_empty_string}, {"key_file", non_empty_string}};

void tls(const Var& value, const Location& at, Context& ctx) {
  check_fields(object_value(value, at), kTlsRules, at, ctx, "(ignored)");
}

constexpr Rule kLimitsRules[] = {
    {"max_body_bytes", integer_in<1, 64 << 20>},
    {"max_header_bytes", integer_in<1024, 1 << 20>},
    {"max_connections", integer_in<1, 10'000>},
    {"timeout_s", integer_in<1, 3600>},
};

void limits(const Var& value, const Location& at, Context& ctx) {
  check_fields(object_value(value, at), kLimitsRules, at, ctx, "(ignored)");
}

constexpr Rule kSettingsRules[] = {
    {"plugin_dirs", non_empty_string_list},
    {"listen", listen},
    {"admin_group", non_empty_string},
    {"default_storage", plugin_choice},
    {"public_base_url", base_url},
    {"ui_redirect", redirect_target},
    {"identity_header", header_name},
    {"proxy_secret_header", header_name},
    {"proxy_secret", non_empty_string},
    {"mode", mode},
    {"dev_user", non_empty_string},
    {"user_groups", user_groups},
    {"group_service", group_service},
    {"tls", tls},
    {"limits", limits},
};

void settings(const Var& value, const Location& at, Context& ctx) {
  const Object& object = object_value(value, at);
  if (object.has("url") || object.has("command")) {
    throw ConfigError(at, "'mcpauth' is reserved for settings and cannot be a server name");
  }
  check_fields(object, kSettingsRules, at, ctx, "(ignored)");
}

}  // namespace

bool valid_server_name(std::string_view name) {
  auto allowed = [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '.' || c == '-'; };
  return !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), allowed);
}

void check_document(const Object& root, const std::string& file, bool is_override, Context& ctx) {
  for (const auto& [key, value] : root) {
    const Location at = entry_location(file, key);
    if (value.isEmpty() && is_override) continue;  // removes the entry when merged
    if (key == kSettingsKey) {
      settings(value, at, ctx);
      continue;
    }
    if (!valid_server_name(key)) {
      throw ConfigError(at,
                        "invalid server name: use 1-64 characters of A-Z, a-z, 0-9, _, . and -, "
                        "starting with a letter or digit");
    }
    check_fields(object_value(value, at), kServerRules, at, ctx, "(ignored)");
  }
}

}  // namespace mcpauth::config
