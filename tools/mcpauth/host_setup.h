// Turning command-line options into a loaded configuration and a plugin registry.
#pragma once

#include "cli.h"

#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_registry.h"

#include <filesystem>
#include <vector>

namespace mcpauth::cli {

// Loads the configuration; prints its warnings to stderr. Throws config::ConfigError.
config::Config load_configuration(const GlobalOptions& options);

// The server of that name; throws std::runtime_error naming it when there is none.
const config::ServerConfig& find_server(const config::Config& loaded, const std::string& name);

// --plugin-dir if given, else the configured plugin_dirs, else the default directory.
std::vector<std::filesystem::path> plugin_dirs(const GlobalOptions& options, const config::Settings* settings);

}  // namespace mcpauth::cli
