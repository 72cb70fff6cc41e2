// The checks routes start with: who the user is, whether they are an admin, which configured
// server the path names, and whether the user may use it. Each throws HttpError when it fails.
#pragma once

#include "api_context.h"
#include "exchange.h"

#include "mcpauth/core/server_binding.h"

#include <string>

namespace mcpauth::api {

// Authenticates the request (401) and records the user on the exchange.
const std::string& require_user(ApiContext& api, Exchange& exchange);

// 403 unless the (authenticated) user is in admin_group.
void require_admin(ApiContext& api, const Exchange& exchange);

// The configured server named by the path: 404 when there is none or it is disabled.
const ServerEntry& require_server(const ApiContext& api, const Exchange& exchange);

// 403 unless the user is in one of the server's groups (or it has none).
void require_server_access(ApiContext& api, const Exchange& exchange, const ServerEntry& server);

// The server's binding: 503 when its plugins could not be set up.
core::ServerBinding& require_binding(const ServerEntry& server);

// All of the above but the admin check, in that order: the server the path names, which the user
// may use and which is bound.
const ServerEntry& require_usable_server(ApiContext& api, Exchange& exchange);

}  // namespace mcpauth::api
