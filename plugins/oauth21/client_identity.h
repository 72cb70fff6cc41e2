// Which client we are at an authorization server, in the profile's priority order: configured
// client_id, a Client ID Metadata Document, a stored registration, a new dynamic registration.
#pragma once

#include "discovery.h"
#include "oauth_http.h"
#include "settings.h"
#include "vault.h"

#include <mcpauth/plugin.hpp>

#include <string>

namespace mcpauth::oauth21 {

struct ClientRequest {
  std::string redirect_uri;  // "" for client_credentials
  int32_t flow = MCPAUTH_FLOW_LOOPBACK;
};

class ClientIdentities {
 public:
  ClientIdentities(const Settings& settings, const OAuthHttp& http, const Vault& vault, const sdk::Host& host)
      : settings_(settings), http_(http), vault_(vault), host_(host) {}

  ClientIdentity obtain(const AuthServerMetadata& as, const ClientRequest& request) const;

  // The client to use for calls that follow an authorization (refresh, revoke): configured, or the
  // stored registration at that issuer.
  std::optional<ClientIdentity> known(const AuthServerMetadata& as, const std::string& client_id) const;

  // After invalid_client: forget a registration (configured clients cannot be forgotten).
  void forget(const ClientIdentity& client) const;

  // A new registration is stored only once a sign-in with it has succeeded: an abandoned sign-in
  // must not replace the registration that the tokens held were issued to.
  void remember(const ClientIdentity& client) const;

 private:
  ClientIdentity configured(const AuthServerMetadata& as) const;
  ClientIdentity register_client(const AuthServerMetadata& as, const ClientRequest& request) const;
  const Settings& settings_;
  const OAuthHttp& http_;
  const Vault& vault_;
  const sdk::Host& host_;
};

}  // namespace mcpauth::oauth21
