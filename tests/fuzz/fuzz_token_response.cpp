// Token endpoint answers (plugins/oauth21/token_client.cpp, token_set.cpp): the fuzz input is the
// answer to one token request (status, headers, JSON body; see scripted_host.h), read as a
// refresh would read it; what is stored must read back unchanged.
#include "scripted_host.h"
#include "token_client.h"
#include "token_set.h"

#include <cstdlib>

using namespace mcpauth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ScriptedHost scripted({reinterpret_cast<const char*>(data), size});
  oauth21::OAuthHttp http(scripted.host());
  oauth21::TokenClient client(http, scripted.host(), nullptr, "");
  oauth21::AuthServerMetadata as;
  as.issuer = "https://auth.example.com";
  as.token_endpoint = "https://auth.example.com/token";
  oauth21::ClientIdentity identity;
  identity.client_id = "mcpauth-client";
  identity.auth_method = "none";
  oauth21::TokenSet previous;
  previous.access_token = "old-access";
  previous.refresh_token = "old-refresh";
  previous.scopes = {"read"};
  try {
    plugin_support::JsonObject body = client.request_tokens(
        as, identity, {{"grant_type", "refresh_token"}, {"refresh_token", "old-refresh"}}, "token refresh");
    oauth21::TokenSet tokens = oauth21::read_token_response(body, fuzz::kNowMs, {"read"}, &previous);
    std::optional<oauth21::TokenSet> stored = oauth21::TokenSet::from_json(tokens.to_json());
    if (!stored || stored->to_json() != tokens.to_json()) std::abort();
  } catch (const sdk::Error&) {  // TokenError included: a refusal or an unusable answer
  }
  return 0;
}
