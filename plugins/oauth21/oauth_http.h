// The plugin's HTTP calls, through the host's client: time limits, size limits, redirects
// followed one hop at a time (never from https to http, never to a non-loopback http endpoint
// when the target is an authorization server), JSON bodies checked.
#pragma once

#include "plugin_support/json_reading.h"
#include "url.h"

#include <mcpauth/plugin.hpp>

#include <string>

namespace mcpauth::oauth21 {

// Limits of the security section.
constexpr uint32_t kDiscoveryTimeoutMs = 10'000;
constexpr uint32_t kTokenTimeoutMs = 20'000;
constexpr uint64_t kMaxResponseBytes = 256 * 1024;
constexpr int kMaxRedirects = 3;

enum class Endpoint { resource_server, authorization_server };

struct JsonResponse {
  int status = 0;
  plugin_support::JsonObject body;  // nullptr when the body is not a JSON object
  sdk::HttpResponse raw;
};

class OAuthHttp {
 public:
  explicit OAuthHttp(const sdk::Host& host) : host_(host) {}

  // GET a JSON document, following up to kMaxRedirects redirects. Transport failures throw
  // sdk::Error(MCPAUTH_ERR_NETWORK or _TIMEOUT) naming `what` and the URL.
  JsonResponse get_json(const std::string& url, Endpoint endpoint, const std::string& what) const;

  // POST a form (token, registration-less calls, revocation) without following redirects.
  JsonResponse post_form(const std::string& url, const Params& form, const sdk::Headers& headers,
                         const std::string& what) const;
  // POST a JSON document (dynamic client registration).
  JsonResponse post_json(const std::string& url, const plugin_support::JsonObject& body, const std::string& what) const;

  // The first request to an MCP server, without credentials, to read its challenge.
  sdk::HttpResponse probe(const std::string& server_url) const;

  // Throws sdk::Error(MCPAUTH_ERR_CONFIG) unless url may be called as `endpoint`.
  static void require_allowed(const std::string& url, Endpoint endpoint, const std::string& what);

 private:
  JsonResponse send(sdk::HttpRequest request, const std::string& what) const;
  const sdk::Host& host_;
};

}  // namespace mcpauth::oauth21
