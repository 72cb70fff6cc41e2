// Environment variable and home directory expansion.
#pragma once

#include "mcpauth/config/context.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace mcpauth::config {

// Replaces each string value that is exactly "${NAME}" by the variable's value, anywhere
// inside the servers and the settings of one file. Partial strings ("Bearer ${X}") are
// left as they are. A variable that is not set is a ConfigError naming the field.
void expand_env(Poco::JSON::Object& root, const std::string& file, const Context& ctx);

// "~" and "~/..." at the start of a path become the home directory.
std::string expand_tilde(const std::string& path, const Location& where, const Context& ctx);

// expand_tilde on the string values of keys named "path" or ending in "_path" or "_dir",
// in nested objects too. Used on every plugin config.
void expand_path_keys(Poco::JSON::Object& config, const Location& where, const Context& ctx);

// Settings "plugin_dirs" of one file: expands "~", makes relative entries absolute against
// the directory of that file.
void resolve_plugin_dirs(Poco::JSON::Object& root, const std::string& file, const Context& ctx);

}  // namespace mcpauth::config
