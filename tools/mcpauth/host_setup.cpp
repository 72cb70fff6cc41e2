#include "host_setup.h"

#include "mcpauth/core/log.h"

namespace mcpauth::cli {

config::Config load_configuration(const GlobalOptions& options) {
  config::LoadOptions load;
  load.config_file = options.config_file;
  load.config_dir = options.config_dir;
  load.strict = options.strict;
  config::Config loaded = config::load_config(load);
  for (const auto& warning : loaded.warnings) core::log(core::LogLevel::warn, "config", warning);
  return loaded;
}

const config::ServerConfig& find_server(const config::Config& loaded, const std::string& name) {
  if (const config::ServerConfig* server = config::server_named(loaded, name)) return *server;
  throw std::runtime_error("no server named '" + name + "' in the configuration (see 'mcpauth config check')");
}

std::vector<std::filesystem::path> plugin_dirs(const GlobalOptions& options, const config::Settings* settings) {
  if (!options.plugin_dirs.empty()) return {options.plugin_dirs.begin(), options.plugin_dirs.end()};
  if (settings != nullptr && !settings->plugin_dirs.empty())
    return {settings->plugin_dirs.begin(), settings->plugin_dirs.end()};
  return core::default_plugin_dirs();
}

}  // namespace mcpauth::cli
