// URLs as OAuth discovery needs them: parsing, origins, the RFC 8414 / RFC 9728 well-known
// locations, query strings and form bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpauth::oauth21 {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Url {
  std::string scheme;  // lower case: "http" or "https"
  std::string host;    // lower case; IPv6 without brackets
  int port = 0;        // explicit or the scheme's default (80/443)
  std::string path;    // "" or starting with "/"; no query, no fragment
  std::string query;   // without the leading '?'; "" when none

  // scheme://host[:port] with the port only when not the default; IPv6 in brackets.
  std::string origin() const;
  // origin() + path (+ "?" + query when there is one). No fragment.
  std::string text() const;
};

// Parses an absolute http(s) URL. nullopt for anything else (other schemes, no host, bad port,
// userinfo, spaces, control characters or bytes outside ASCII). A fragment is dropped.
std::optional<Url> parse_url(std::string_view text);

// Resolves a Location header value (absolute, scheme-relative "//h/p", absolute-path "/p" or
// relative "p") against the URL of the request it answered.
std::optional<Url> resolve_location(const Url& base, std::string_view location);

// 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

// https, or http to a loopback host: what an authorization server endpoint must be.
bool is_secure_endpoint(const Url& url);

// The canonical resource identifier of an MCP server URL (RFC 8707 / MCP spec): lower-case
// scheme and host, default port dropped, no fragment, the path kept exactly (also a trailing
// slash), the query kept.
std::string canonical_resource(const Url& url);

// Protected Resource Metadata locations (RFC 9728), in the order to try:
// origin + "/.well-known/oauth-protected-resource" + path (when path is not "" or "/"),
// then origin + "/.well-known/oauth-protected-resource".
std::vector<std::string> protected_resource_metadata_urls(const Url& server);

// Authorization server metadata locations for an issuer, in the order to try. The issuer's
// trailing slash is stripped only to build these (the issuer itself is never changed):
// with a path P: /.well-known/oauth-authorization-server/P, /.well-known/openid-configuration/P,
// /P/.well-known/openid-configuration; without: /.well-known/oauth-authorization-server,
// /.well-known/openid-configuration.
std::vector<std::string> authorization_server_metadata_urls(const Url& issuer);

// application/x-www-form-urlencoded (also used for query strings): unreserved characters kept,
// space as "+", everything else %XX (upper-case hex).
std::string form_encode(const Params& params);
std::string percent_encode(std::string_view text);  // same rules, one value
// Splits "a=1&b=2" ("+" is a space, %XX decoded). Malformed escapes -> nullopt. Repeated names
// are kept in order. An empty input gives an empty list.
std::optional<Params> parse_query(std::string_view query);
// The value of the first parameter with this name.
std::optional<std::string> find_param(const Params& params, std::string_view name);

}  // namespace mcpauth::oauth21
