#include "token_set.h"

#include "plugin_support/json_reading.h"
#include "plugin_support/json_writing.h"
#include "plugin_support/scopes.h"

#include <mcpauth/plugin.hpp>

#include <limits>

#include <strings.h>

namespace mcpauth::oauth21 {

using namespace plugin_support;

std::string TokenSet::to_json() const {
  JsonObject json = new Poco::JSON::Object;
  json->set("access_token", access_token);
  json->set("token_type", token_type);
  json->set("refresh_token", refresh_token);
  json->set("expires_at_ms", expires_at_ms);
  json->set("obtained_at_ms", obtained_at_ms);
  json->set("scopes", to_array(scopes));
  json->set("issuer", issuer);
  json->set("client_id", client_id);
  json->set("resource", resource);
  return to_text(json);
}

std::optional<TokenSet> TokenSet::from_json(const std::string& text) {
  JsonObject json = parse_object(text);
  std::optional<std::string> access_token = get_string(json, "access_token");
  if (!access_token || access_token->empty()) return std::nullopt;
  TokenSet tokens;
  tokens.access_token = *access_token;
  tokens.token_type = get_string(json, "token_type").value_or("Bearer");
  tokens.refresh_token = get_string(json, "refresh_token").value_or("");
  tokens.expires_at_ms = get_int(json, "expires_at_ms").value_or(0);
  tokens.obtained_at_ms = get_int(json, "obtained_at_ms").value_or(0);
  tokens.scopes = get_strings(json, "scopes");
  tokens.issuer = get_string(json, "issuer").value_or("");
  tokens.client_id = get_string(json, "client_id").value_or("");
  tokens.resource = get_string(json, "resource").value_or("");
  return tokens;
}

TokenSet read_token_response(const JsonObject& body, int64_t now_ms, const std::vector<std::string>& requested_scopes,
                             const TokenSet* previous) {
  std::optional<std::string> access_token = get_string(body, "access_token");
  if (!access_token || access_token->empty())
    throw sdk::Error(MCPAUTH_ERR_NETWORK, "the token endpoint's answer has no access_token");
  std::string token_type = get_string(body, "token_type").value_or("Bearer");
  // RFC 6749 says case-insensitive; the MCP server wants the Bearer scheme either way.
  if (strcasecmp(token_type.c_str(), "bearer") != 0)
    throw sdk::Error(MCPAUTH_ERR_NETWORK, "the token endpoint issued a '" + token_type +
                                              "' token; only Bearer tokens can be sent to an MCP server");
  TokenSet tokens;
  tokens.access_token = *access_token;
  tokens.token_type = "Bearer";
  tokens.obtained_at_ms = now_ms;
  // A lifetime past what the clock can count is kept as none: never refreshed ahead of time.
  if (std::optional<int64_t> expires_in = get_int(body, "expires_in");
      expires_in && *expires_in > 0 && *expires_in <= (std::numeric_limits<int64_t>::max() - now_ms) / 1000)
    tokens.expires_at_ms = now_ms + *expires_in * 1000;
  tokens.refresh_token = get_string(body, "refresh_token").value_or(previous ? previous->refresh_token : "");
  if (std::optional<std::string> scope = get_string(body, "scope"))
    tokens.scopes = split_scopes(*scope);
  else
    tokens.scopes = previous ? previous->scopes : requested_scopes;  // RFC 6749 5.1: omitted = as requested
  return tokens;
}

}  // namespace mcpauth::oauth21
