#include "mcpauth/mcp/transport.h"

#include "mcpauth/mcp/legacy_sse.h"
#include "mcpauth/mcp/streamable_http.h"

namespace mcpauth::mcp {

std::unique_ptr<Transport> make_transport(const std::string& transport, const std::string& url,
                                          Authentication authentication) {
  if (transport == "http") return std::make_unique<StreamableHttpTransport>(url, std::move(authentication));
  if (transport == "sse") return std::make_unique<LegacySseTransport>(url, std::move(authentication));
  throw std::invalid_argument("transport '" + transport + "' is not spoken over HTTP (only http and sse are)");
}

}  // namespace mcpauth::mcp
