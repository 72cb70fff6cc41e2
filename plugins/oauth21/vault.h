// What the plugin keeps in the server's storage (the host puts every key under "<server>/"):
//   discovery                  cached discovery results (not secret)
//   client/<issuer, base64url> the client registration made at that authorization server
//   tokens/default             the default user's tokens
//   tokens/user:<user>         a named user's tokens
// Storage plugins encrypt values at rest; nothing here is ever logged.
#pragma once

#include "discovery.h"
#include "token_set.h"

#include <mcpauth/plugin.hpp>

#include <optional>
#include <string>

namespace mcpauth::oauth21 {

struct ClientIdentity {
  std::string client_id;
  std::string client_secret;  // "" for public clients
  std::string auth_method;    // none | client_secret_post | client_secret_basic | private_key_jwt
  std::string issuer;         // the AS it belongs to
  std::string redirect_uri;   // the one registered ("" for configured clients)
  std::string source;         // config | metadata_document | registered
  int64_t registered_at_ms = 0;

  std::string to_json() const;
  static std::optional<ClientIdentity> from_json(const std::string& text);
};

class Vault {
 public:
  explicit Vault(const sdk::Host& host) : host_(host) {}

  static std::string tokens_key(const std::string& user);

  std::optional<TokenSet> load_tokens(const std::string& user) const;
  void save_tokens(const std::string& user, const TokenSet& tokens) const;
  void delete_tokens(const std::string& user) const;
  // An exclusive lock shared by every process using this store; nullopt when the storage
  // plugin offers no locks (then only this process is coordinated).
  std::optional<sdk::Host::StorageLock> lock_tokens(const std::string& user, uint32_t timeout_ms) const;

  std::optional<ClientIdentity> load_client(const std::string& issuer) const;
  void save_client(const ClientIdentity& client) const;
  void delete_client(const std::string& issuer) const;

  std::optional<Discovery> load_discovery() const;
  void save_discovery(const Discovery& discovery) const;
  void delete_discovery() const;

 private:
  std::optional<std::string> get(const std::string& key) const;
  void put(const std::string& key, const std::string& value) const;
  const sdk::Host& host_;
};

}  // namespace mcpauth::oauth21
