// The route handlers (see routes.cpp for which path each serves).
#pragma once

#include "api_context.h"
#include "exchange.h"

namespace mcpauth::api {

// service_routes.cpp
void handle_health(ApiContext& api, Exchange& exchange);
void handle_metrics(ApiContext& api, Exchange& exchange);
void handle_web_asset(ApiContext& api, Exchange& exchange);

// admin_jwt_routes.cpp
void handle_admin_jwt_list(ApiContext& api, Exchange& exchange);
void handle_admin_jwt_upload(ApiContext& api, Exchange& exchange);
void handle_admin_jwt_get(ApiContext& api, Exchange& exchange);
void handle_admin_jwt_delete(ApiContext& api, Exchange& exchange);

// user_token_routes.cpp
void handle_auth_status(ApiContext& api, Exchange& exchange);
void handle_user_token_upload(ApiContext& api, Exchange& exchange);
void handle_user_token_delete(ApiContext& api, Exchange& exchange);

// oauth_routes.cpp
void handle_oauth_start(ApiContext& api, Exchange& exchange);
void handle_oauth_callback(ApiContext& api, Exchange& exchange);

// mcp_gateway.cpp: POST, GET and DELETE
void handle_mcp(ApiContext& api, Exchange& exchange);

}  // namespace mcpauth::api
