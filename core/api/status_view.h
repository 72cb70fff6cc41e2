// Reading auth plugins' status JSON (secret-free by the ABI's contract) for the HTTP answers:
// whose token is held, and the per-user entry of GET /api/mcp/auth/status in Atlas's shape.
#pragma once

#include "mcpauth/config/config.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace mcpauth::api {

// The plugin's status as an object ({} when it is not a JSON object).
Poco::JSON::Object::Ptr parse_status(const std::string& json);

// Atlas's auth_type of a server: the status' "auth_type", else "oauth" for the oauth21 plugin,
// else the plugin config's "auth_type", else the plugin id.
std::string atlas_auth_type(const config::ServerConfig& server, const Poco::JSON::Object& status);

// Auth types whose servers take a token uploaded by an admin for every user: jwt, bearer, api_key.
bool takes_server_token(const std::string& auth_type);

// A token uploaded for the server as a whole (manual_jwt's "source": "server").
bool has_server_token(const Poco::JSON::Object& status);
// Whose token the user's requests carry: the status' "source" ("user", "server", "config"), or,
// for plugins that report none (oauth21), "user" when the user is signed in to a server that
// needs it; null when none.
Poco::Dynamic::Var token_source(const Poco::JSON::Object& status);
// A token of the user's own (token_source "user"): the one DELETE .../token removes.
bool has_user_token(const Poco::JSON::Object& status);

// The "scopes" of a status or token metadata (a list or a string) as one space-separated string,
// as Atlas shows them; null when absent.
Poco::Dynamic::Var scopes_text(const Poco::JSON::Object& object);

// One entry of GET /api/mcp/auth/status. oauth_start_url: "" for servers without OAuth.
Poco::JSON::Object user_status_entry(const config::ServerConfig& server, const Poco::JSON::Object& status,
                                     const std::string& oauth_start_url);

// The entry for a server whose binding or status failed.
Poco::JSON::Object unavailable_status_entry(const config::ServerConfig& server);

}  // namespace mcpauth::api
