// The server-side OAuth flow: /oauth/start sends the browser to the authorization server, and
// /oauth/callback finishes the sign-in, then sends the browser back to the UI with the outcome.
// The pending sign-in stays here, bound to the user, the server and a browser session cookie.
#include "access.h"
#include "handlers.h"
#include "http_error.h"
#include "secrets.h"

#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>

namespace mcpauth::api {
namespace {

constexpr const char* kSessionCookie = "mcpauth_session";
constexpr size_t kSessionBytes = 32;

// The authorize URL goes into a Location header; its endpoint came from the network (discovery).
bool usable_authorize_url(const std::string& url) {
  return (url.starts_with("https://") || url.starts_with("http://")) &&
         std::none_of(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

bool valid_session(const std::string& value) {
  return value.size() == 2 * kSessionBytes && std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The authorization server's error, if it is a standard code (RFC 6749 4.1.2.1, OpenID Connect
// Core 3.1.2.6, RFC 8707); anything else comes from the network unchecked: "unknown_error".
std::string shown_oauth_error(const std::string& error) {
  static constexpr std::array<std::string_view, 17> kStandard = {"invalid_request",
                                                                 "unauthorized_client",
                                                                 "access_denied",
                                                                 "unsupported_response_type",
                                                                 "invalid_scope",
                                                                 "server_error",
                                                                 "temporarily_unavailable",
                                                                 "interaction_required",
                                                                 "login_required",
                                                                 "account_selection_required",
                                                                 "consent_required",
                                                                 "invalid_request_uri",
                                                                 "invalid_request_object",
                                                                 "request_not_supported",
                                                                 "request_uri_not_supported",
                                                                 "registration_not_supported",
                                                                 "invalid_target"};
  return std::find(kStandard.begin(), kStandard.end(), error) != kStandard.end() ? error : "unknown_error";
}

// <ui_redirect> with mcp_auth_server and the outcome added to its query (server names need no
// escaping: they are made of URL-safe characters).
std::string ui_url(const ApiContext& api, const std::string& server, const std::string& outcome) {
  const std::string& target = api.settings.ui_redirect;
  const size_t hash = target.find('#');
  const std::string base = target.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : target.substr(hash);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "mcp_auth_server=" + server + "&" + outcome +
         fragment;
}

void send_failure(ApiContext& api, Exchange& exchange, const std::string& server, const std::string& code) {
  api.metrics.count_authorization_failed(code);
  core::log(core::LogLevel::info, "oauth", "sign-in to server '" + server + "' failed: " + code);
  exchange.send_redirect(ui_url(api, server, "mcp_auth_error=" + code));
}

// The one value of a query parameter; nullopt when absent or repeated.
std::optional<std::string> single_param(const Poco::URI::QueryParameters& params, const std::string& name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : params) {
    if (key != name) continue;
    if (found) return std::nullopt;
    found = value;
  }
  return found;
}

void set_session_cookie(const ApiContext& api, Exchange& exchange, const std::string& session) {
  Poco::Net::HTTPCookie cookie(kSessionCookie, session);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
  cookie.setSecure(api.tls || api.public_base_url.starts_with("https://"));
  exchange.response().addCookie(cookie);
}

}  // namespace

void handle_oauth_start(ApiContext& api, Exchange& exchange) {
  const ServerEntry& server = require_usable_server(api, exchange);
  const std::string& name = server.config.name;
  const std::optional<std::string> cookie = exchange.cookie(kSessionCookie);
  const bool known_session = cookie && valid_session(*cookie);
  const std::string session = known_session ? *cookie : random_hex(kSessionBytes);
  core::AuthInstance::Authorization authorization;
  try {
    authorization = server.binding->auth().begin_authorization(exchange.user, api.oauth_url(name, "callback"),
                                                               MCPAUTH_FLOW_WEB, "");
  } catch (const core::PluginError& e) {
    if (e.status() == MCPAUTH_ERR_UNSUPPORTED)
      throw HttpError(400,
                      "server '" + name + "' has no browser sign-in (auth plugin " + server.config.auth.plugin + ")");
    core::log(core::LogLevel::warn, "oauth", e.what());
    return send_failure(api, exchange, name, "discovery_failed");
  }
  if (!usable_authorize_url(authorization.url)) {
    core::log(
        core::LogLevel::warn, "oauth",
        "server '" + name + "': the authorization URL is not an http(s) URL without spaces or control characters");
    return send_failure(api, exchange, name, "discovery_failed");
  }
  api.pending.add(authorization.state,
                  PendingAuthorization{exchange.user, name, session, std::move(authorization.pending)});
  if (!known_session) set_session_cookie(api, exchange, session);
  api.metrics.count_authorization_started();
  exchange.send_redirect(authorization.url);
}

void handle_oauth_callback(ApiContext& api, Exchange& exchange) {
  const std::string& user = require_user(api, exchange);
  const ServerEntry& server = require_server(api, exchange);
  const std::string& name = server.config.name;
  Poco::URI::QueryParameters params;
  try {
    Poco::URI uri;
    uri.setRawQuery(exchange.query());
    params = uri.getQueryParameters();
  } catch (const Poco::Exception&) {  // bad percent-encoding
    return send_failure(api, exchange, name, "missing_params");
  }
  const std::optional<std::string> state = single_param(params, "state");
  const std::optional<std::string> error = single_param(params, "error");
  if (!state || state->empty() || (!single_param(params, "code") && !error))
    return send_failure(api, exchange, name, "missing_params");
  const std::optional<std::string> session = exchange.cookie(kSessionCookie);
  if (!session) return send_failure(api, exchange, name, "session_unavailable");
  // Taken whatever comes next: a state works once.
  std::optional<PendingAuthorization> pending = api.pending.take(*state);
  if (!pending || pending->user != user || pending->server != name || !equal_constant_time(pending->session, *session))
    return send_failure(api, exchange, name, "invalid_state");
  if (!api.groups.in_any(user, server.config.groups)) return send_failure(api, exchange, name, "not_authorized");
  try {
    require_binding(server).auth().complete_authorization(user, pending->pending, exchange.query());
  } catch (const core::PluginError& e) {
    core::log(core::LogLevel::warn, "oauth", e.what());
    return send_failure(api, exchange, name, error ? shown_oauth_error(*error) : "token_exchange_failed");
  }
  api.metrics.count_authorization_completed();
  exchange.send_redirect(ui_url(api, name, "mcp_auth_success=1"));
}

}  // namespace mcpauth::api
