// State shared by the loading steps: options in effect and the warnings collected.
#pragma once

#include "mcpauth/config/config.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::config {

// The reserved top-level key holding the settings.
inline constexpr std::string_view kSettingsKey = "mcpauth";

// Where a top-level entry is: a server, or the settings (as field "mcpauth").
Location entry_location(const std::string& file, const std::string& key);

struct Context {
  bool strict = false;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::string home;  // empty when unknown: expanding "~" is then an error
  std::vector<std::string> warnings;

  void warn(const Location& where, std::string_view problem);

  // `where.field` is the key's path. A warning ending in `what_happens` (e.g. "(ignored)"),
  // or a ConfigError in strict mode.
  void unknown_key(const Location& where, std::string_view what_happens);
};

// Fills in the defaults: ::getenv, and $HOME for the home directory.
Context make_context(const LoadOptions& options);

}  // namespace mcpauth::config
