#include "client_identity.h"

#include "plugin_support/json_reading.h"
#include "plugin_support/json_writing.h"
#include "plugin_support/scopes.h"

#include <algorithm>

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

ClientIdentity ClientIdentities::configured(const AuthServerMetadata& as) const {
  ClientIdentity client;
  client.client_id = settings_.client_id;
  client.client_secret = settings_.client_secret;
  client.issuer = as.issuer;
  client.source = "config";
  if (!settings_.token_endpoint_auth_method.empty()) {
    client.auth_method = settings_.token_endpoint_auth_method;
  } else if (!settings_.private_key_file.empty()) {
    client.auth_method = "private_key_jwt";
  } else if (settings_.client_secret.empty()) {
    client.auth_method = "none";
  } else {
    // RFC 8414: an absent list means client_secret_basic only.
    const auto& methods = as.token_endpoint_auth_methods;
    bool basic = methods.empty() || contains(methods, "client_secret_basic");
    client.auth_method =
        basic || !contains(methods, "client_secret_post") ? "client_secret_basic" : "client_secret_post";
  }
  return client;
}

ClientIdentity ClientIdentities::obtain(const AuthServerMetadata& as, const ClientRequest& request) const {
  if (!settings_.client_id.empty()) return configured(as);
  if (!settings_.client_metadata_url.empty() && as.client_id_metadata_document_supported) {
    ClientIdentity client;
    client.client_id = settings_.client_metadata_url;
    client.auth_method = "none";
    client.issuer = as.issuer;
    client.source = "metadata_document";
    return client;
  }
  if (std::optional<ClientIdentity> stored = vault_.load_client(as.issuer)) {
    // A registration for another redirect URI (the callback port changed) is stale.
    if (stored->redirect_uri == request.redirect_uri) return *stored;
    host_.log(MCPAUTH_LOG_INFO,
              "the redirect URI changed since the client was registered at " + as.issuer + "; registering again");
  }
  return register_client(as, request);
}

std::optional<ClientIdentity> ClientIdentities::known(const AuthServerMetadata& as,
                                                      const std::string& client_id) const {
  if (!settings_.client_id.empty()) return configured(as);
  if (client_id == settings_.client_metadata_url && !client_id.empty()) {
    ClientIdentity client;
    client.client_id = client_id;
    client.auth_method = "none";
    client.issuer = as.issuer;
    client.source = "metadata_document";
    return client;
  }
  std::optional<ClientIdentity> stored = vault_.load_client(as.issuer);
  if (stored && stored->client_id == client_id) return stored;
  return std::nullopt;
}

void ClientIdentities::forget(const ClientIdentity& client) const {
  if (client.source != "registered") return;
  std::optional<ClientIdentity> stored = vault_.load_client(client.issuer);
  if (stored && stored->client_id == client.client_id) vault_.delete_client(client.issuer);
}

void ClientIdentities::remember(const ClientIdentity& client) const {
  if (client.source != "registered") return;
  std::optional<ClientIdentity> stored = vault_.load_client(client.issuer);
  if (!stored || stored->client_id != client.client_id) vault_.save_client(client);
}

ClientIdentity ClientIdentities::register_client(const AuthServerMetadata& as, const ClientRequest& request) const {
  if (as.registration_endpoint.empty())
    throw sdk::Error(MCPAUTH_ERR_CONFIG, "the authorization server " + as.issuer +
                                             " offers no dynamic client registration: set client_id (and "
                                             "client_secret if it has one) in the server's oauth_config, or "
                                             "client_metadata_url if it supports Client ID Metadata Documents");
  JsonObject body = new Poco::JSON::Object;
  if (settings_.additional_metadata) {
    for (const auto& [key, value] : *settings_.additional_metadata) body->set(key, value);
  }
  // Always explicit: without grant_types one real AS issues no refresh token, and without
  // token_endpoint_auth_method another defaults to client_secret_basic.
  body->set("client_name", settings_.client_name);
  body->set("redirect_uris", to_array({request.redirect_uri}));
  body->set("grant_types", to_array({"authorization_code", "refresh_token"}));
  body->set("response_types", to_array({"code"}));
  body->set("token_endpoint_auth_method", "none");
  body->set("application_type", request.flow == MCPAUTH_FLOW_WEB ? "web" : "native");
  if (!settings_.scopes.empty()) body->set("scope", join_scopes(settings_.scopes));

  JsonResponse response = http_.post_json(as.registration_endpoint, body, "client registration");
  std::optional<std::string> client_id = get_string(response.body, "client_id");
  if ((response.status != 201 && response.status != 200) || !client_id || client_id->empty()) {
    std::string error = get_string(response.body, "error").value_or("");
    throw sdk::Error(MCPAUTH_ERR_DENIED, "client registration at " + as.registration_endpoint + " failed: HTTP " +
                                             std::to_string(response.status) +
                                             (error.empty() ? "" : " (" + error + ")"));
  }
  ClientIdentity client;
  client.client_id = *client_id;
  client.client_secret = get_string(response.body, "client_secret").value_or("");
  client.auth_method = get_string(response.body, "token_endpoint_auth_method")
                           .value_or(client.client_secret.empty() ? "none" : "client_secret_basic");
  client.issuer = as.issuer;
  client.redirect_uri = request.redirect_uri;
  client.source = "registered";
  client.registered_at_ms = host_.now_unix_ms();
  host_.log(MCPAUTH_LOG_INFO, "registered a client at " + as.issuer);
  return client;
}

}  // namespace mcpauth::oauth21
