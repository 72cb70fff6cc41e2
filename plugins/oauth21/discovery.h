// Finding the authorization server of an MCP server: the challenge, Protected Resource Metadata
// (RFC 9728), authorization server metadata (RFC 8414 / OpenID Connect Discovery), and the
// 2025-03-26 fallbacks for servers without PRM.
#pragma once

#include "oauth_http.h"

#include <optional>
#include <string>
#include <vector>

namespace mcpauth::oauth21 {

struct AuthServerMetadata {
  std::string issuer;  // exactly as the metadata (and PRM) spell it
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string registration_endpoint;  // "" when none
  std::string revocation_endpoint;    // "" when none
  std::vector<std::string> code_challenge_methods;
  std::vector<std::string> scopes_supported;
  std::vector<std::string> token_endpoint_auth_methods;  // empty: RFC 8414's default, client_secret_basic
  bool iss_parameter_supported = false;                  // RFC 9207
  bool client_id_metadata_document_supported = false;
  bool from_defaults = false;  // legacy server without metadata: endpoints guessed at its origin
};

struct Discovery {
  std::string server_url;
  std::string resource;                       // the canonical server URI, sent as RFC 8707 `resource`
  std::string resource_metadata_url;          // "" for legacy servers
  std::vector<std::string> resource_scopes;   // PRM scopes_supported
  std::vector<std::string> challenge_scopes;  // `scope` of the server's 401 challenge
  AuthServerMetadata as;
  int64_t fetched_at_ms = 0;

  std::string to_json() const;
  static std::optional<Discovery> from_json(const std::string& text);
};

// What a 401/403 challenge told us (from parse_www_authenticate).
struct ChallengeHints {
  std::string resource_metadata_url;
  std::vector<std::string> scopes;
};
ChallengeHints read_challenge(const std::string& www_authenticate);

// Runs the whole discovery for server_url. `hints` come from a challenge already received; with
// none, the server is probed once for its challenge. Throws sdk::Error with a message that says
// which step failed and where.
Discovery discover(const OAuthHttp& http, const std::string& server_url, const std::optional<ChallengeHints>& hints,
                   int64_t now_ms);

// The metadata document of `issuer` (tried at every well-known location, in order), with an
// exact issuer check. nullopt when none of the locations has one.
std::optional<AuthServerMetadata> fetch_authorization_server_metadata(const OAuthHttp& http, const std::string& issuer);

}  // namespace mcpauth::oauth21
