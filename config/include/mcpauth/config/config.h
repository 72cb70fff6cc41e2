// Public API of the configuration loader: the data model and the two entry points.
// See config/README.md for the file format.
#pragma once

#include "mcpauth/config/error.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::config {

struct PluginChoice {
  std::string plugin;
  Poco::JSON::Object::Ptr config = new Poco::JSON::Object;  // never null; {} when absent
};

struct ServerConfig {
  std::string name;
  std::string url;
  std::string transport;  // "http" | "sse" | "stdio"
  std::vector<std::string> groups;
  std::string description;
  bool enabled = true;
  // stdio servers
  std::string command;
  std::vector<std::string> args;
  std::string cwd;
  std::map<std::string, std::string> env;
  // Always resolved: explicit "auth"/"storage", else mapped from the Atlas fields.
  PluginChoice auth;
  PluginChoice storage;
  std::string source_file;  // the file the server's entry (last) came from
};

struct Settings {
  std::vector<std::string> plugin_dirs;  // absolute
  std::string listen = "127.0.0.1:8000";
  std::string admin_group = "admin";
  // Storage for servers that name none and have no token_storage_path (else "memory").
  std::optional<PluginChoice> default_storage;
};

struct Config {
  Settings settings;
  std::vector<ServerConfig> servers;  // sorted by name
  std::vector<std::string> warnings;
  std::vector<std::string> files;  // files read, in order
};

enum class Format { Json, Yaml };

struct LoadOptions {
  std::optional<std::string> config_file;                                // --config: read only this file
  std::string config_dir = "config";                                     // else <config_dir>/{defaults,overrides}/mcp.*
  bool strict = false;                                                   // unknown keys are errors instead of warnings
  std::function<std::optional<std::string>(const std::string&)> getenv;  // default: ::getenv
  std::string home;                                                      // default: $HOME
};

// Finds, reads, merges and validates the configuration. Throws ConfigError.
Config load_config(const LoadOptions& options);

// Parses and validates a single document given as text. Throws ConfigError.
Config parse_config_text(std::string_view text, std::string_view file_name_for_messages, Format format,
                         const LoadOptions& options);

}  // namespace mcpauth::config
