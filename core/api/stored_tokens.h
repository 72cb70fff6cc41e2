// Tokens handed to a server's auth plugin from outside (an admin's server-level JWT, a user's own
// token), and their removal, with the plugin's refusals turned into HTTP errors.
#pragma once

#include "server_bindings.h"

#include <string>

namespace mcpauth::api {

// auth.store_token(user, token, metadata_json) on a bound server. Throws HttpError(400) with the
// plugin's message when it refuses the token, or saying that the plugin takes no uploaded tokens;
// other plugin failures propagate.
void store_uploaded_token(const ServerEntry& server, const std::string& user, const std::string& token,
                          const std::string& metadata_json);

// auth.logout(user) on a bound server. Throws HttpError(404, not_found) when the plugin has
// nothing stored (it may have gone since the caller looked).
void remove_stored_token(const ServerEntry& server, const std::string& user, const std::string& not_found);

}  // namespace mcpauth::api
