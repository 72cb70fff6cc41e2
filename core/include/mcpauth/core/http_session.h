// Opening a Poco client session for a URL: plain HTTP, or HTTPS verified against the system's CA
// store. Shared by core::http_fetch and the MCP upstream requests (core/mcp).
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <memory>
#include <string>

namespace mcpauth::core {

// Throws PluginError(MCPAUTH_ERR_NETWORK) for a scheme other than http and https.
std::unique_ptr<Poco::Net::HTTPClientSession> open_http_session(const Poco::URI& uri);

// "scheme://host:port", the key of connection reuse and of same-origin checks.
std::string origin_of(const Poco::URI& uri);

}  // namespace mcpauth::core
