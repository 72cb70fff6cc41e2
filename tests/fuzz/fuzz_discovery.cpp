// Discovery of an MCP server's authorization server (plugins/oauth21/discovery.cpp): the fuzz
// input scripts the answers to the probe (a 401 and its WWW-Authenticate challenge), the
// Protected Resource Metadata (RFC 9728) and the authorization server metadata (RFC 8414 / OIDC),
// redirects included (see scripted_host.h for the format).
#include "discovery.h"
#include "scripted_host.h"

#include <cstdlib>

using namespace mcpauth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ScriptedHost scripted({reinterpret_cast<const char*>(data), size});
  oauth21::OAuthHttp http(scripted.host());
  try {
    oauth21::Discovery discovery = oauth21::discover(http, "https://mcp.example.com/mcp", std::nullopt, fuzz::kNowMs);
    // What is stored must read back as it was.
    std::optional<oauth21::Discovery> stored = oauth21::Discovery::from_json(discovery.to_json());
    if (!stored || stored->to_json() != discovery.to_json()) std::abort();
  } catch (const sdk::Error&) {  // the documented failure: a message saying which step failed
  }
  return 0;
}
