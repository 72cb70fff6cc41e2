#include "discovery.h"

#include "plugin_support/json_reading.h"
#include "plugin_support/json_writing.h"
#include "plugin_support/scopes.h"

#include "www_authenticate.h"

#include <algorithm>

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

// RFC 3986 normalisation treats an empty path as "/": "https://h" and "https://h/" are one resource.
std::string comparable_resource(const Url& url) {
  Url copy = url;
  if (copy.path.empty()) copy.path = "/";
  return canonical_resource(copy);
}

AuthServerMetadata read_metadata(const JsonObject& document) {
  AuthServerMetadata as;
  as.issuer = get_string(document, "issuer").value_or("");
  as.authorization_endpoint = get_string(document, "authorization_endpoint").value_or("");
  as.token_endpoint = get_string(document, "token_endpoint").value_or("");
  as.registration_endpoint = get_string(document, "registration_endpoint").value_or("");
  as.revocation_endpoint = get_string(document, "revocation_endpoint").value_or("");
  as.code_challenge_methods = get_strings(document, "code_challenge_methods_supported");
  as.scopes_supported = get_strings(document, "scopes_supported");
  as.token_endpoint_auth_methods = get_strings(document, "token_endpoint_auth_methods_supported");
  as.iss_parameter_supported = get_bool(document, "authorization_response_iss_parameter_supported").value_or(false);
  as.client_id_metadata_document_supported =
      get_bool(document, "client_id_metadata_document_supported").value_or(false);
  return as;
}

void check_endpoints(const AuthServerMetadata& as) {
  if (as.authorization_endpoint.empty() || as.token_endpoint.empty())
    throw sdk::Error(MCPAUTH_ERR_NETWORK, "the metadata of authorization server " + as.issuer +
                                              " lacks authorization_endpoint or token_endpoint");
  OAuthHttp::require_allowed(as.authorization_endpoint, Endpoint::authorization_server, "authorization_endpoint");
  OAuthHttp::require_allowed(as.token_endpoint, Endpoint::authorization_server, "token_endpoint");
  if (!as.registration_endpoint.empty())
    OAuthHttp::require_allowed(as.registration_endpoint, Endpoint::authorization_server, "registration_endpoint");
  if (!as.revocation_endpoint.empty())
    OAuthHttp::require_allowed(as.revocation_endpoint, Endpoint::authorization_server, "revocation_endpoint");
}

// RFC 6749 section 3.3: printable ASCII but '"' and '\'. The header is raw bytes from the network;
// anything else could not be stored and read back as it was.
bool is_scope_token(const std::string& scope) {
  return std::all_of(scope.begin(), scope.end(),
                     [](unsigned char c) { return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e); });
}

struct ProtectedResource {
  std::string url;
  JsonObject document;
};

std::optional<ProtectedResource> fetch_protected_resource_metadata(const OAuthHttp& http, const Url& server,
                                                                   const std::string& from_challenge) {
  std::vector<std::string> candidates;
  if (!from_challenge.empty()) candidates.push_back(from_challenge);
  for (const auto& url : protected_resource_metadata_urls(server))
    if (url != from_challenge) candidates.push_back(url);
  for (const auto& url : candidates) {
    JsonResponse response = http.get_json(url, Endpoint::resource_server, "protected resource metadata");
    if (response.status == 200 && response.body) return ProtectedResource{url, response.body};
  }
  return std::nullopt;
}

// 2025-03-26 servers: the MCP server's origin is the authorization server.
AuthServerMetadata legacy_metadata(const OAuthHttp& http, const Url& server) {
  const std::string origin = server.origin();
  for (const std::string& issuer : {origin, origin + "/"}) {
    Url issuer_url = *parse_url(issuer);
    for (const auto& url : authorization_server_metadata_urls(issuer_url)) {
      JsonResponse response = http.get_json(url, Endpoint::authorization_server, "authorization server metadata");
      if (response.status != 200 || !response.body) continue;
      AuthServerMetadata as = read_metadata(response.body);
      if (as.issuer != origin && as.issuer != origin + "/")
        throw sdk::Error(MCPAUTH_ERR_NETWORK,
                         "authorization server metadata at " + url + " names another issuer; refusing it");
      return as;
    }
    break;  // both spellings build the same well-known URLs
  }
  AuthServerMetadata as;
  as.issuer = origin;
  as.authorization_endpoint = origin + "/authorize";
  as.token_endpoint = origin + "/token";
  as.registration_endpoint = origin + "/register";
  as.code_challenge_methods = {"S256"};  // 2025-03-26 makes PKCE mandatory for such servers
  as.from_defaults = true;
  return as;
}

}  // namespace

ChallengeHints read_challenge(const std::string& www_authenticate) {
  ChallengeHints hints;
  std::optional<Challenge> bearer = find_bearer(parse_www_authenticate(www_authenticate));
  if (!bearer) return hints;
  // A resource_metadata that is no http(s) URL is ignored: the well-known locations are tried.
  if (auto it = bearer->params.find("resource_metadata"); it != bearer->params.end() && parse_url(it->second))
    hints.resource_metadata_url = it->second;
  if (auto it = bearer->params.find("scope"); it != bearer->params.end())
    for (std::string& scope : split_scopes(it->second))
      if (is_scope_token(scope)) hints.scopes.push_back(std::move(scope));
  return hints;
}

std::optional<AuthServerMetadata> fetch_authorization_server_metadata(const OAuthHttp& http,
                                                                      const std::string& issuer) {
  std::optional<Url> issuer_url = parse_url(issuer);
  if (!issuer_url) throw sdk::Error(MCPAUTH_ERR_NETWORK, "the authorization server is not an http(s) URL");
  OAuthHttp::require_allowed(issuer, Endpoint::authorization_server, "the authorization server " + issuer);
  for (const auto& url : authorization_server_metadata_urls(*issuer_url)) {
    JsonResponse response = http.get_json(url, Endpoint::authorization_server, "authorization server metadata");
    if (response.status != 200 || !response.body) continue;
    AuthServerMetadata as = read_metadata(response.body);
    // RFC 8414 section 3.3: exactly the issuer the URL was built from, no normalisation.
    if (as.issuer != issuer)
      throw sdk::Error(MCPAUTH_ERR_NETWORK, "authorization server metadata at " + url + " names issuer '" + as.issuer +
                                                "', not '" + issuer + "'; refusing it");
    return as;
  }
  return std::nullopt;
}

Discovery discover(const OAuthHttp& http, const std::string& server_url, const std::optional<ChallengeHints>& hints,
                   int64_t now_ms) {
  std::optional<Url> server = parse_url(server_url);
  if (!server) throw sdk::Error(MCPAUTH_ERR_CONFIG, "the server URL is not an http(s) URL");
  Discovery discovery;
  discovery.server_url = server_url;
  discovery.resource = canonical_resource(*server);
  discovery.fetched_at_ms = now_ms;

  ChallengeHints challenge = hints.value_or(ChallengeHints{});
  if (!hints) {
    sdk::HttpResponse answer = http.probe(server_url);
    if (answer.status == 401 || answer.status == 403)
      challenge = read_challenge(answer.header("WWW-Authenticate").value_or(""));
  }
  discovery.challenge_scopes = challenge.scopes;

  std::optional<ProtectedResource> prm =
      fetch_protected_resource_metadata(http, *server, challenge.resource_metadata_url);
  if (!prm) {
    discovery.as = legacy_metadata(http, *server);
  } else {
    discovery.resource_metadata_url = prm->url;
    std::optional<std::string> resource = get_string(prm->document, "resource");
    std::optional<Url> resource_url = resource ? parse_url(*resource) : std::nullopt;
    if (!resource_url || comparable_resource(*resource_url) != comparable_resource(*server))
      throw sdk::Error(MCPAUTH_ERR_NETWORK, "the protected resource metadata at " + prm->url + " is for resource '" +
                                                resource.value_or("") + "', not for " + discovery.resource +
                                                "; refusing to authorize against it");
    discovery.resource_scopes = get_strings(prm->document, "scopes_supported");
    std::vector<std::string> servers = get_strings(prm->document, "authorization_servers");
    if (servers.empty())
      throw sdk::Error(MCPAUTH_ERR_NETWORK,
                       "the protected resource metadata at " + prm->url + " names no authorization_servers");
    std::optional<AuthServerMetadata> as = fetch_authorization_server_metadata(http, servers.front());
    if (!as)
      throw sdk::Error(MCPAUTH_ERR_NETWORK, "no authorization server metadata found for " + servers.front() +
                                                " (tried RFC 8414 and "
                                                "OpenID Connect locations)");
    discovery.as = *as;
  }
  check_endpoints(discovery.as);
  return discovery;
}

std::string Discovery::to_json() const {
  JsonObject as_json = new Poco::JSON::Object;
  as_json->set("issuer", as.issuer);
  as_json->set("authorization_endpoint", as.authorization_endpoint);
  as_json->set("token_endpoint", as.token_endpoint);
  as_json->set("registration_endpoint", as.registration_endpoint);
  as_json->set("revocation_endpoint", as.revocation_endpoint);
  as_json->set("code_challenge_methods_supported", to_array(as.code_challenge_methods));
  as_json->set("scopes_supported", to_array(as.scopes_supported));
  as_json->set("token_endpoint_auth_methods_supported", to_array(as.token_endpoint_auth_methods));
  as_json->set("authorization_response_iss_parameter_supported", as.iss_parameter_supported);
  as_json->set("client_id_metadata_document_supported", as.client_id_metadata_document_supported);
  as_json->set("from_defaults", as.from_defaults);
  JsonObject json = new Poco::JSON::Object;
  json->set("server_url", server_url);
  json->set("resource", resource);
  json->set("resource_metadata_url", resource_metadata_url);
  json->set("resource_scopes", to_array(resource_scopes));
  json->set("challenge_scopes", to_array(challenge_scopes));
  json->set("authorization_server", as_json);
  json->set("fetched_at_ms", fetched_at_ms);
  return to_text(json);
}

std::optional<Discovery> Discovery::from_json(const std::string& text) {
  JsonObject json = parse_object(text);
  JsonObject as_json = get_object(json, "authorization_server");
  if (!as_json) return std::nullopt;
  Discovery discovery;
  discovery.server_url = get_string(json, "server_url").value_or("");
  discovery.resource = get_string(json, "resource").value_or("");
  discovery.resource_metadata_url = get_string(json, "resource_metadata_url").value_or("");
  discovery.resource_scopes = get_strings(json, "resource_scopes");
  discovery.challenge_scopes = get_strings(json, "challenge_scopes");
  discovery.fetched_at_ms = get_int(json, "fetched_at_ms").value_or(0);
  discovery.as = read_metadata(as_json);
  discovery.as.from_defaults = get_bool(as_json, "from_defaults").value_or(false);
  if (discovery.as.issuer.empty() || discovery.as.token_endpoint.empty()) return std::nullopt;
  return discovery;
}

}  // namespace mcpauth::oauth21
