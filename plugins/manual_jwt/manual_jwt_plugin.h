// The manual_jwt auth plugin: sends a token it did not obtain itself. A user's own token, else
// the server-level one (uploaded by an admin), else the configuration's auth_token.
#pragma once

#include "settings.h"
#include "token_form.h"
#include "token_store.h"

#include <mcpauth/plugin.hpp>

#include <optional>
#include <string>

namespace mcpauth::manual_jwt {

class ManualJwtPlugin : public sdk::AuthPlugin {
 public:
  explicit ManualJwtPlugin(const sdk::InstanceArgs& args);

  void get_credentials(const std::string& user, sdk::Headers& headers) override;
  std::string status(const std::string& user) override;
  void store_token(const std::string& user, const std::string& token, const std::string& metadata_json) override;
  void logout(const std::string& user) override;
  // on_challenge: the SDK default (FAIL), as there is nothing to refresh.

 private:
  enum class Source { user, server, config };

  struct Credential {
    Source source;
    std::string token;  // secret
    TokenClaims claims;
    std::optional<int64_t> stored_at;  // absent for the configuration's token
  };

  static const char* source_name(Source source);  // as status shows it
  // The token that a request for `user` would carry, with where it comes from.
  std::optional<Credential> find_credential(const std::string& user) const;
  // "the JWT stored for user 'alice' of server 's'", and the like.
  std::string describe(const Credential& credential, const std::string& user) const;
  // For log lines: "user 'alice'" and "has their own JWT", or "the server" and "has a server-level JWT".
  std::string holder(const std::string& user) const;
  std::string owned(const std::string& user) const;
  int64_t now_s() const;

  std::string server_;
  sdk::Host host_;
  Settings settings_;
  TokenClaims config_claims_;  // of settings_.auth_token, when set
  TokenStore store_;
};

}  // namespace mcpauth::manual_jwt
