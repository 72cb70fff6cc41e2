#include "oauth_http.h"

#include "plugin_support/json_reading.h"
#include "plugin_support/json_writing.h"

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

JsonResponse to_json_response(sdk::HttpResponse response) {
  JsonResponse out;
  out.status = response.status;
  out.body = parse_object(response.body);
  out.raw = std::move(response);
  return out;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

void OAuthHttp::require_allowed(const std::string& url, Endpoint endpoint, const std::string& what) {
  std::optional<Url> parsed = parse_url(url);
  if (!parsed) throw sdk::Error(MCPAUTH_ERR_CONFIG, what + ": not an http(s) URL: " + url);
  if (endpoint == Endpoint::authorization_server && !is_secure_endpoint(*parsed))
    throw sdk::Error(MCPAUTH_ERR_CONFIG,
                     what + " must use https (plain http is allowed for loopback hosts only): " + parsed->origin());
}

JsonResponse OAuthHttp::send(sdk::HttpRequest request, const std::string& what) const {
  request.max_redirects = 0;
  request.max_response_bytes = kMaxResponseBytes;
  try {
    return to_json_response(host_.http(request));
  } catch (const sdk::Error& e) {
    throw sdk::Error(e.status(), what + " failed: " + e.what());
  }
}

JsonResponse OAuthHttp::get_json(const std::string& url, Endpoint endpoint, const std::string& what) const {
  std::string current = url;
  for (int hop = 0;; ++hop) {
    require_allowed(current, endpoint, what);
    sdk::HttpRequest request;
    request.method = "GET";
    request.url = current;
    request.headers = {{"Accept", "application/json"}};
    request.timeout_ms = kDiscoveryTimeoutMs;
    JsonResponse response = send(request, what + " (" + current + ")");
    std::optional<std::string> location = response.raw.header("Location");
    if (!is_redirect(response.status) || !location) return response;
    if (hop == kMaxRedirects)
      throw sdk::Error(MCPAUTH_ERR_NETWORK, what + ": more than " + std::to_string(kMaxRedirects) + " redirects");
    std::optional<Url> next = resolve_location(*parse_url(current), *location);
    if (!next) throw sdk::Error(MCPAUTH_ERR_NETWORK, what + ": redirect to an invalid URL from " + current);
    if (parse_url(current)->scheme == "https" && next->scheme != "https")
      throw sdk::Error(MCPAUTH_ERR_NETWORK, what + ": refused a redirect from https to http (" + next->origin() + ")");
    // Nor from loopback to plain http on another host, whatever the endpoint.
    if (is_secure_endpoint(*parse_url(current)) && !is_secure_endpoint(*next))
      throw sdk::Error(MCPAUTH_ERR_NETWORK,
                       what + ": refused a redirect to plain http on a non-loopback host (" + next->origin() + ")");
    current = next->text();
  }
}

JsonResponse OAuthHttp::post_form(const std::string& url, const Params& form, const sdk::Headers& headers,
                                  const std::string& what) const {
  require_allowed(url, Endpoint::authorization_server, what);
  sdk::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = headers;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  request.body = form_encode(form);
  request.timeout_ms = kTokenTimeoutMs;
  return send(request, what);
}

JsonResponse OAuthHttp::post_json(const std::string& url, const JsonObject& body, const std::string& what) const {
  require_allowed(url, Endpoint::authorization_server, what);
  sdk::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  request.body = to_text(body);
  request.timeout_ms = kTokenTimeoutMs;
  return send(request, what);
}

sdk::HttpResponse OAuthHttp::probe(const std::string& server_url) const {
  sdk::HttpRequest request;
  request.method = "POST";
  request.url = server_url;
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}};
  // An initialize request: what a client sends first, so servers answer it with their challenge.
  request.body =
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},)"
      R"("clientInfo":{"name":"mcpauth","version":"1"}}})";
  request.timeout_ms = kDiscoveryTimeoutMs;
  request.max_response_bytes = kMaxResponseBytes;
  try {
    return host_.http(request);
  } catch (const sdk::Error& e) {
    throw sdk::Error(e.status(), "contacting the MCP server " + server_url + " failed: " + e.what());
  }
}

}  // namespace mcpauth::oauth21
