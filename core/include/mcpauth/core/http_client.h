// The host's HTTP(S) client (Poco): used by plugins through the host table and by the host itself.
// Defined in mcpauth_core_net (core/CMakeLists.txt), or, in the `mcpauth` executable, by a
// forwarder that loads the CLI's network module first (tools/mcpauth/network_module.h).
#pragma once

#include <mcpauth/plugin.hpp>

namespace mcpauth::core {

constexpr uint32_t kDefaultHttpTimeoutMs = 20'000;
constexpr uint64_t kDefaultMaxResponseBytes = 1 << 20;

// Sends the request; any HTTP status is a result. Throws PluginError with MCPAUTH_ERR_NETWORK
// (connection, TLS, protocol, oversize body, bad URL) or MCPAUTH_ERR_TIMEOUT. TLS certificates and
// host names are verified against the system's CA store. A redirect to another origin drops the
// Authorization and Cookie headers. Messages name the host, never the query string.
sdk::HttpResponse http_fetch(const sdk::HttpRequest& request);

}  // namespace mcpauth::core
