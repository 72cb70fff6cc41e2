// The library's entry point (see oauth21_plugin.h and README.md).
#include "oauth21_plugin.h"
#include "settings.h"

namespace {

struct OAuth21Library {
  static constexpr const char* id = "oauth21";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "OAuth 2.1 for MCP servers: discovery, client registration, PKCE, refresh, client credentials";
  static inline const char* const config_schema = mcpauth::oauth21::kConfigSchema;
  using Auth = mcpauth::oauth21::OAuth21Plugin;
  using Storage = void;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(OAuth21Library)
