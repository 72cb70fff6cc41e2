// Configuration files (config/, through parse_config_text, the loader's in-memory entry point):
// the only failure is ConfigError. Built twice, for JSON and for YAML (MCPAUTH_FUZZ_CONFIG_FORMAT).
// ${VAR} references see a fixed environment, never the fuzzer's.
#include "mcpauth/config/config.h"

using namespace mcpauth::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  LoadOptions options;
  options.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return "/home/fuzz";
    if (name == "MCP_TOKEN") return "token-from-env";
    return std::nullopt;
  };
  options.home = "/home/fuzz";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool strict : {false, true}) {
    options.strict = strict;
    try {
      parse_config_text(text, "/etc/mcpauth/mcp.conf", Format::MCPAUTH_FUZZ_CONFIG_FORMAT, options);
    } catch (const ConfigError&) {
    }
  }
  return 0;
}
