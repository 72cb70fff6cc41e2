// The library description and the one exported symbol of mcpauth_manual_jwt.so.
#include "manual_jwt_plugin.h"
#include "settings.h"

namespace {

struct ManualJwtLibrary {
  static constexpr const char* id = "manual_jwt";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "A token uploaded by an admin or a user, or set in the configuration: bearer, JWT or API key";
  static constexpr const char* config_schema = mcpauth::manual_jwt::kConfigSchema;
  using Auth = mcpauth::manual_jwt::ManualJwtPlugin;
  using Storage = void;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(ManualJwtLibrary)
