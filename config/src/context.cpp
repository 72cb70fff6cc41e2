#include "mcpauth/config/context.h"

#include <cstdlib>

namespace mcpauth::config {

Location entry_location(const std::string& file, const std::string& key) {
  if (key == kSettingsKey) return {file, "", key};
  return {file, key, ""};
}

void Context::warn(const Location& where, std::string_view problem) {
  warnings.push_back(format_message(where, problem));
}

void Context::unknown_key(const Location& where, std::string_view what_happens) {
  if (strict) throw ConfigError(where, "unknown key (not allowed with --strict)");
  warn({where.file, where.server, ""}, "unknown key '" + where.field + "' " + std::string(what_happens));
}

Context make_context(const LoadOptions& options) {
  Context ctx;
  ctx.strict = options.strict;
  ctx.getenv = options.getenv;
  if (!ctx.getenv) {
    ctx.getenv = [](const std::string& name) -> std::optional<std::string> {
      const char* value = std::getenv(name.c_str());
      return value ? std::optional<std::string>(value) : std::nullopt;
    };
  }
  ctx.home = options.home.empty() ? ctx.getenv("HOME").value_or("") : options.home;
  return ctx;
}

}  // namespace mcpauth::config
