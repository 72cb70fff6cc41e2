// From the merged, checked tree to the Config model: required fields, defaults, and the
// choice of auth and storage plugins (explicit or mapped from the Atlas fields).
#pragma once

#include "mcpauth/config/config.h"
#include "mcpauth/config/context.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>

namespace mcpauth::config {

// `origins` maps each top-level key of `merged` to the file its entry last came from.
// Leaves warnings in ctx; Config::warnings and Config::files are the caller's.
Config build_config(const Poco::JSON::Object& merged, const std::map<std::string, std::string>& origins, Context& ctx);

// The explicit form {"plugin": "<id>", "config": {...}}; the plugin is required.
PluginChoice read_plugin_choice(const Poco::JSON::Object& choice, const Location& where);

// The auth plugin mapped from the Atlas fields alone (auth_type, auth_token, auth_header,
// oauth_config); see the table in config/README.md.
PluginChoice map_atlas_auth(const Poco::JSON::Object& server);

// Explicit "auth" when present (warning when the Atlas fields would choose another plugin),
// else map_atlas_auth.
PluginChoice resolve_auth(const Poco::JSON::Object& server, const Location& where, Context& ctx);

// Explicit "storage", else oauth_config.token_storage_path -> fernet_file, else the
// default storage, else memory. A mapped (not explicit) encrypted store of a manual_jwt server
// takes its key from JWT_STORAGE_ENCRYPTION_KEY, as Atlas's JWT store does.
PluginChoice resolve_storage(const Poco::JSON::Object& server, const PluginChoice& auth,
                             const std::optional<PluginChoice>& default_storage, const Location& where, Context& ctx);

}  // namespace mcpauth::config
