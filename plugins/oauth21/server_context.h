// Everything one plugin instance (one MCP server) shares between its parts: settings, the host's
// services, storage, client identities, and the discovery results (cached in memory and in
// storage for discovery_ttl_s).
#pragma once

#include "client_assertion.h"
#include "client_identity.h"
#include "discovery.h"
#include "oauth_http.h"
#include "settings.h"
#include "token_client.h"
#include "vault.h"

#include <mcpauth/plugin.hpp>

#include <mutex>
#include <optional>
#include <string>

namespace mcpauth::oauth21 {

class ServerContext {
 public:
  explicit ServerContext(const sdk::InstanceArgs& args);
  ServerContext(const ServerContext&) = delete;
  ServerContext& operator=(const ServerContext&) = delete;

  // The discovery results, from memory, storage or the network (in that order). `hints` from a
  // fresh challenge that names another metadata URL than the cached one force a new discovery.
  Discovery discovery(const std::optional<ChallengeHints>& hints = std::nullopt);
  void forget_discovery();

  const std::string server_name;
  const std::string server_url;
  const Settings settings;
  const sdk::Host host;
  const OAuthHttp http;
  const Vault vault;
  const ClientIdentities clients;

  const TokenClient& token_client() const { return token_client_; }

 private:
  static std::optional<SigningKey> load_signing_key(const Settings& settings);
  bool fresh(const Discovery& discovery) const;

  const std::optional<SigningKey> signing_key_;
  const TokenClient token_client_;
  std::mutex discovery_mutex_;
  std::optional<Discovery> discovery_;
};

}  // namespace mcpauth::oauth21
