#include "server_context.h"

namespace mcpauth::oauth21 {

std::optional<SigningKey> ServerContext::load_signing_key(const Settings& settings) {
  if (settings.private_key_file.empty()) return std::nullopt;
  try {
    return SigningKey::load_pem_file(settings.private_key_file);
  } catch (const KeyError& e) {
    throw sdk::Error(MCPAUTH_ERR_CONFIG, std::string("oauth21: private_key_file: ") + e.what());
  }
}

ServerContext::ServerContext(const sdk::InstanceArgs& args)
    : server_name(args.server_name),
      server_url(args.server_url),
      settings(parse_settings(args.config_json)),
      host(args.host),
      http(host),
      vault(host),
      clients(settings, http, vault, host),
      signing_key_(load_signing_key(settings)),
      token_client_(http, host, signing_key_ ? &*signing_key_ : nullptr, settings.private_key_id) {
  if (server_url.empty()) throw sdk::Error(MCPAUTH_ERR_CONFIG, "oauth21 needs the server's url");
  if (!parse_url(server_url)) throw sdk::Error(MCPAUTH_ERR_CONFIG, "oauth21: the server url is not an http(s) URL");
}

bool ServerContext::fresh(const Discovery& discovery) const {
  return discovery.server_url == server_url &&
         host.now_unix_ms() < discovery.fetched_at_ms + settings.discovery_ttl_s * 1000;
}

Discovery ServerContext::discovery(const std::optional<ChallengeHints>& hints) {
  std::lock_guard lock(discovery_mutex_);
  bool moved = hints && !hints->resource_metadata_url.empty() && discovery_ &&
               hints->resource_metadata_url != discovery_->resource_metadata_url;
  if (moved) {
    host.log(MCPAUTH_LOG_INFO, "the server now points to other resource metadata; discovering again");
    discovery_.reset();
    vault.delete_discovery();
  }
  if (discovery_ && fresh(*discovery_)) return *discovery_;
  if (!moved) {
    std::optional<Discovery> stored = vault.load_discovery();
    if (stored && fresh(*stored)) return *(discovery_ = stored);
  }
  Discovery found = oauth21::discover(http, server_url, hints, host.now_unix_ms());
  host.log(MCPAUTH_LOG_INFO, "authorization server: " + found.as.issuer +
                                 (found.resource_metadata_url.empty() ? " (server without resource metadata)" : ""));
  vault.save_discovery(found);
  return *(discovery_ = found);
}

void ServerContext::forget_discovery() {
  std::lock_guard lock(discovery_mutex_);
  discovery_.reset();
  vault.delete_discovery();
}

}  // namespace mcpauth::oauth21
