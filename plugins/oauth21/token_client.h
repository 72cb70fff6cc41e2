// Calls to the token and revocation endpoints with the client's authentication method, and the
// classification of their failures (what is transient, what ends a grant or a client).
#pragma once

#include "client_assertion.h"
#include "discovery.h"
#include "oauth_http.h"
#include "vault.h"

#include <mcpauth/plugin.hpp>

#include <optional>
#include <string>

namespace mcpauth::oauth21 {

enum class TokenFailure {
  transient,       // 5xx, temporarily_unavailable, timeouts, network errors: keep tokens, retry later
  grant_invalid,   // invalid_grant: the grant is gone, the user must authorize again
  client_invalid,  // invalid_client / unauthorized_client: the registration is gone
  other,
};

// A failed token request. The message carries the OAuth error code only: error_description is
// free text from the network and is not passed on.
class TokenError : public sdk::Error {
 public:
  TokenError(int32_t status, const std::string& message, TokenFailure failure)
      : sdk::Error(status, message), failure_(failure) {}
  TokenFailure failure() const { return failure_; }

 private:
  TokenFailure failure_;
};

class TokenClient {
 public:
  // signing_key: for private_key_jwt clients (may be null otherwise).
  TokenClient(const OAuthHttp& http, const sdk::Host& host, const SigningKey* signing_key, std::string key_id)
      : http_(http), host_(host), signing_key_(signing_key), key_id_(std::move(key_id)) {}

  // POSTs form (grant_type and its parameters) with the client's authentication added; returns
  // the successful JSON answer. Throws TokenError.
  plugin_support::JsonObject request_tokens(const AuthServerMetadata& as, const ClientIdentity& client, Params form,
                                            const std::string& what) const;

  // RFC 7009. Best effort: returns false (and logs) when the AS refused or could not be reached.
  bool revoke(const AuthServerMetadata& as, const ClientIdentity& client, const std::string& token,
              const std::string& token_type_hint) const;

 private:
  void authenticate(const AuthServerMetadata& as, const ClientIdentity& client, Params& form,
                    sdk::Headers& headers) const;
  const OAuthHttp& http_;
  const sdk::Host& host_;
  const SigningKey* signing_key_;
  std::string key_id_;
};

}  // namespace mcpauth::oauth21
