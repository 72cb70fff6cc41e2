#include "authorization.h"

#include "plugin_support/json_reading.h"
#include "plugin_support/json_writing.h"
#include "plugin_support/scopes.h"

#include "pkce.h"
#include "url.h"

#include <algorithm>
#include <array>

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

// A pending authorization older than this is refused (the host's own timeouts are shorter).
constexpr int64_t kPendingLifetimeMs = 60 * 60 * 1000;

struct Pending {
  std::string user;
  std::string state;
  std::string code_verifier;
  std::string issuer;
  bool iss_required = false;
  std::string redirect_uri;
  std::string client_id;
  std::string registration;  // a new registration, stored once the sign-in succeeds ("" otherwise)
  std::vector<std::string> scopes;
  std::string resource;  // "" when not sent
  int64_t created_at_ms = 0;

  std::string to_json() const {
    JsonObject json = new Poco::JSON::Object;
    json->set("user", user);
    json->set("state", state);
    json->set("code_verifier", code_verifier);
    json->set("issuer", issuer);
    json->set("iss_required", iss_required);
    json->set("redirect_uri", redirect_uri);
    json->set("client_id", client_id);
    json->set("registration", registration);
    json->set("scopes", to_array(scopes));
    json->set("resource", resource);
    json->set("created_at_ms", created_at_ms);
    return to_text(json);
  }

  static Pending from_json(const std::string& text) {
    JsonObject json = parse_object(text);
    if (!json || !get_string(json, "state") || !get_string(json, "code_verifier"))
      throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "the pending authorization is not one this plugin made");
    Pending pending;
    pending.user = get_string(json, "user").value_or("");
    pending.state = *get_string(json, "state");
    pending.code_verifier = *get_string(json, "code_verifier");
    pending.issuer = get_string(json, "issuer").value_or("");
    pending.iss_required = get_bool(json, "iss_required").value_or(false);
    pending.redirect_uri = get_string(json, "redirect_uri").value_or("");
    pending.client_id = get_string(json, "client_id").value_or("");
    pending.registration = get_string(json, "registration").value_or("");
    pending.scopes = get_strings(json, "scopes");
    pending.resource = get_string(json, "resource").value_or("");
    pending.created_at_ms = get_int(json, "created_at_ms").value_or(0);
    return pending;
  }
};

// RFC 6749 4.1.2.1 and OpenID Connect's codes; others are shown as "unknown_error" (the value
// comes from the network and ends up on the user's screen).
std::string shown_error(const std::string& error) {
  static const std::array<const char*, 12> known = {
      "access_denied",    "invalid_request",      "unauthorized_client",        "unsupported_response_type",
      "invalid_scope",    "server_error",         "temporarily_unavailable",    "login_required",
      "consent_required", "interaction_required", "account_selection_required", "invalid_target"};
  for (const char* code : known)
    if (error == code) return error;
  return "unknown_error";
}

std::string random_text(const sdk::Host& host) {
  sdk::Bytes bytes = host.random_bytes(32);
  return base64url_nopad(bytes);
}

}  // namespace

std::vector<std::string> Authorizer::choose_scopes(const Discovery& discovery, const sdk::BeginAuthorization& args,
                                                   const std::vector<std::string>& step_up_scopes) {
  // Configured scopes win; else the challenge's; else what the resource says it supports.
  std::vector<std::string> scopes = context_.settings.scopes;
  if (scopes.empty()) scopes = discovery.challenge_scopes;
  if (scopes.empty()) scopes = discovery.resource_scopes;
  std::vector<std::string> extra = scope_union(step_up_scopes, split_scopes(args.extra_scopes));
  if (!extra.empty()) {
    // Step-up: keep what is held, add what the server asked for.
    if (std::optional<TokenSet> held = tokens_.stored(args.user)) scopes = scope_union(scopes, held->scopes);
    scopes = scope_union(scopes, extra);
  }
  const auto& supported = discovery.as.scopes_supported;
  if (std::find(supported.begin(), supported.end(), "offline_access") != supported.end())
    scopes = scope_union(scopes, {"offline_access"});
  return scopes;
}

sdk::Authorization Authorizer::begin(const sdk::BeginAuthorization& args,
                                     const std::vector<std::string>& step_up_scopes) {
  if (context_.settings.grant == Grant::client_credentials)
    throw sdk::Error(MCPAUTH_ERR_UNSUPPORTED,
                     "this server uses the client_credentials grant: no browser sign-in; tokens are fetched directly");
  std::optional<Url> redirect = parse_url(args.redirect_uri);
  if (!redirect || (redirect->scheme != "https" && !is_loopback_host(redirect->host)))
    throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "the redirect URI must be https or a loopback http URL");

  Discovery discovery = context_.discovery();
  const AuthServerMetadata& as = discovery.as;
  const auto& methods = as.code_challenge_methods;
  if (std::find(methods.begin(), methods.end(), "S256") == methods.end())
    throw sdk::Error(MCPAUTH_ERR_DENIED, "the authorization server " + as.issuer +
                                             " does not advertise PKCE with S256 (code_challenge_methods_supported); "
                                             "refusing to authorize without it");
  ClientIdentity client = context_.clients.obtain(as, ClientRequest{args.redirect_uri, args.flow});

  Pending pending;
  pending.user = args.user;
  pending.state = random_text(context_.host);
  sdk::Bytes verifier_random = context_.host.random_bytes(32);
  pending.code_verifier = make_code_verifier(std::span<const uint8_t, 32>(verifier_random.data(), 32));
  pending.issuer = as.issuer;
  pending.iss_required = as.iss_parameter_supported;
  pending.redirect_uri = args.redirect_uri;
  pending.client_id = client.client_id;
  if (client.source == "registered") pending.registration = client.to_json();
  pending.scopes = choose_scopes(discovery, args, step_up_scopes);
  if (context_.settings.send_resource) pending.resource = discovery.resource;
  pending.created_at_ms = context_.host.now_unix_ms();

  Params query = {{"response_type", "code"},           {"client_id", client.client_id},
                  {"redirect_uri", args.redirect_uri}, {"code_challenge", s256_challenge(pending.code_verifier)},
                  {"code_challenge_method", "S256"},   {"state", pending.state}};
  if (!pending.scopes.empty()) query.emplace_back("scope", join_scopes(pending.scopes));
  if (!pending.resource.empty()) query.emplace_back("resource", pending.resource);
  const char* separator = as.authorization_endpoint.find('?') == std::string::npos ? "?" : "&";
  return sdk::Authorization{as.authorization_endpoint + separator + form_encode(query), pending.state,
                            pending.to_json()};
}

TokenSet Authorizer::complete(const std::string& user, const std::string& pending_text,
                              const std::string& callback_query) {
  Pending pending = Pending::from_json(pending_text);
  if (pending.user != user)
    throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "this authorization was started for another user");
  if (context_.host.now_unix_ms() > pending.created_at_ms + kPendingLifetimeMs)
    throw sdk::Error(MCPAUTH_ERR_DENIED, "this authorization is too old; start the sign-in again");
  std::optional<Params> params = parse_query(callback_query);
  if (!params) throw sdk::Error(MCPAUTH_ERR_DENIED, "the callback's query string is malformed; ignored it");

  // Nothing the callback says is acted on (or shown) before state and iss are checked.
  std::optional<std::string> state = find_param(*params, "state");
  if (!state || !equal_constant_time(*state, pending.state))
    throw sdk::Error(MCPAUTH_ERR_DENIED, "the callback's state does not match this sign-in; ignored it");
  std::optional<std::string> iss = find_param(*params, "iss");
  if (iss && *iss != pending.issuer)
    throw sdk::Error(MCPAUTH_ERR_DENIED, "the callback comes from another authorization server than " + pending.issuer +
                                             " (iss); ignored it");
  if (!iss && pending.iss_required)
    throw sdk::Error(MCPAUTH_ERR_DENIED, "the callback lacks the iss parameter that " + pending.issuer +
                                             " promises (RFC 9207); ignored it");
  if (std::optional<std::string> error = find_param(*params, "error"))
    throw sdk::Error(MCPAUTH_ERR_DENIED, "the authorization server refused the sign-in: " + shown_error(*error));
  std::optional<std::string> code = find_param(*params, "code");
  if (!code || code->empty()) throw sdk::Error(MCPAUTH_ERR_DENIED, "the callback carries no authorization code");

  Discovery discovery = context_.discovery();
  if (discovery.as.issuer != pending.issuer)
    throw sdk::Error(MCPAUTH_ERR_DENIED, "the server's authorization server changed during the sign-in; start again");
  std::optional<ClientIdentity> client = context_.clients.known(discovery.as, pending.client_id);
  if (!client && !pending.registration.empty()) {
    client = ClientIdentity::from_json(pending.registration);
    if (client && (client->client_id != pending.client_id || client->issuer != discovery.as.issuer)) client.reset();
  }
  if (!client) throw sdk::Error(MCPAUTH_ERR_DENIED, "the client registration of this sign-in is gone; start again");

  Params form = {{"grant_type", "authorization_code"},
                 {"code", *code},
                 {"redirect_uri", pending.redirect_uri},
                 {"code_verifier", pending.code_verifier}};
  if (!pending.resource.empty()) form.emplace_back("resource", pending.resource);
  JsonObject body;
  try {
    body = context_.token_client().request_tokens(discovery.as, *client, form, "exchanging the authorization code");
  } catch (const TokenError& e) {
    if (e.failure() == TokenFailure::client_invalid) {
      context_.clients.forget(*client);
      if (client->source == "registered") tokens_.forget_issued_to(user, client->client_id);
      throw sdk::Error(MCPAUTH_ERR_DENIED,
                       std::string(e.what()) + "; the client registration was dropped: sign in again to register anew");
    }
    throw;
  }
  context_.clients.remember(*client);
  TokenSet tokens = read_token_response(body, context_.host.now_unix_ms(), pending.scopes, nullptr);
  tokens.issuer = pending.issuer;
  tokens.client_id = pending.client_id;
  tokens.resource = pending.resource.empty() ? discovery.resource : pending.resource;
  tokens_.adopt(user, tokens);
  return tokens;
}

}  // namespace mcpauth::oauth21
