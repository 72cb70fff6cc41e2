// What the routes share for the life of the server.
#pragma once

#include "client_departures.h"
#include "group_directory.h"
#include "metrics.h"
#include "pending_authorizations.h"
#include "server_bindings.h"

#include "mcpauth/config/config.h"
#include "mcpauth/mcp/open_answers.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace mcpauth::api {

struct ApiContext {
  config::Settings settings;
  std::string public_base_url;  // the setting, else http(s)://<the address listened on>; no trailing '/'
  bool tls = false;             // the server itself speaks HTTPS
  ServerBindings bindings;
  GroupDirectory groups;
  PendingAuthorizations pending;
  Metrics metrics;
  // Server-initiated MCP streams (GET /mcp/{server}) open now: each holds a connection thread.
  std::atomic<int64_t> open_mcp_streams{0};
  mcp::OpenAnswers upstream_answers{};   // being forwarded by the gateway; ended when the server stops
  ClientDepartures client_departures{};  // ends the answers streamed to clients that hung up

  // <public_base_url>/api/mcp/auth/<server>/oauth/<step>: "start" or "callback".
  std::string oauth_url(const std::string& server, const std::string& step) const {
    return public_base_url + "/api/mcp/auth/" + server + "/oauth/" + step;
  }
};

}  // namespace mcpauth::api
