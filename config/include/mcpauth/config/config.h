// Public API of the configuration loader: the data model, the two entry points, and a lookup.
// See config/README.md for the file format.
#pragma once

#include "mcpauth/config/error.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
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

// `mcpauth serve`: membership asked of an external service (see config/README.md).
struct GroupService {
  std::string url;
  std::string api_key;  // secret: sent as "Authorization: Bearer <api_key>"
  int64_t timeout_ms = 5000;
  int64_t cache_s = 30;
};

struct TlsFiles {
  std::string cert_file;
  std::string key_file;
};

// `mcpauth serve`: bounds on what one client can make the server hold.
struct ServeLimits {
  int64_t max_body_bytes = 65536;
  int64_t max_header_bytes = 16384;
  int64_t max_connections = 64;
  int64_t timeout_s = 30;
};

struct Settings {
  std::vector<std::string> plugin_dirs;  // absolute
  std::string listen = "127.0.0.1:8000";
  std::string admin_group = "admin";
  // Storage for servers that name none and have no token_storage_path (else "memory").
  std::optional<PluginChoice> default_storage;

  // `mcpauth serve` (the HTTP API).
  std::optional<std::string> public_base_url;  // no trailing '/'; unset: http(s)://<the address listened on>
  std::string ui_redirect = "/";
  std::string identity_header = "X-User-Email";
  std::string proxy_secret_header = "X-Proxy-Secret";
  std::optional<std::string> proxy_secret;  // secret
  std::string mode = "development";         // or "production": refuses to serve without proxy_secret
  // Development only: the user of requests that carry no identity header (no proxy in front).
  std::optional<std::string> dev_user;
  std::map<std::string, std::vector<std::string>> user_groups;
  std::optional<GroupService> group_service;
  std::optional<TlsFiles> tls;
  ServeLimits limits;
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

// The server of that name, or nullptr: what a missing server means is the caller's to say.
const ServerConfig* server_named(const Config& config, std::string_view name);

}  // namespace mcpauth::config
