#include "token_manager.h"

#include "plugin_support/scopes.h"

#include <algorithm>

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

constexpr uint32_t kStorageLockTimeoutMs = 30'000;
constexpr int kTokenAttempts = 3;
constexpr uint64_t kFirstBackoffMs = 500;
constexpr uint64_t kMaxBackoffMs = 2'000;
// Without a usable access token a transient failure fails the caller's request, so the attempts go
// on this long (an authorization server restarting, a short outage) instead of kTokenAttempts.
constexpr int64_t kAttemptsWithoutTokenMs = 10'000;
// After the attempts failed transiently, callers use a still-valid token (or fail at once) this long,
// or until that token expires.
constexpr int64_t kTransientPauseMs = 10'000;

sdk::Error sign_in_required(const std::string& server, const std::string& why) {
  return sdk::Error(MCPAUTH_ERR_AUTH_REQUIRED, why + "; sign in again (mcpauth login " + server + ")");
}

}  // namespace

std::mutex& TokenManager::user_mutex(const std::string& user) {
  std::lock_guard lock(mutexes_mutex_);
  std::unique_ptr<std::mutex>& mutex = user_mutexes_[user];
  if (!mutex) mutex = std::make_unique<std::mutex>();
  return *mutex;
}

std::optional<TokenSet> TokenManager::cached(const std::string& user) {
  std::lock_guard lock(cache_mutex_);
  auto it = cache_.find(user);
  if (it == cache_.end()) return std::nullopt;
  return it->second;
}

void TokenManager::cache(const std::string& user, const std::optional<TokenSet>& tokens) {
  std::lock_guard lock(cache_mutex_);
  if (tokens)
    cache_[user] = *tokens;
  else
    cache_.erase(user);
}

int64_t TokenManager::paused_until(const std::string& user) {
  std::lock_guard lock(cache_mutex_);
  auto it = paused_until_ms_.find(user);
  return it == paused_until_ms_.end() ? 0 : it->second;
}

void TokenManager::pause_refresh(const std::string& user, int64_t until_ms) {
  std::lock_guard lock(cache_mutex_);
  if (until_ms == 0)
    paused_until_ms_.erase(user);
  else
    paused_until_ms_[user] = until_ms;
}

TokenSet TokenManager::current(const std::string& user) {
  const int64_t now = context_.host.now_unix_ms();
  if (std::optional<TokenSet> tokens = cached(user); tokens && !tokens->needs_refresh(now, margin_ms())) return *tokens;
  std::lock_guard lock(user_mutex(user));
  // Another thread may have refreshed while this one waited.
  if (std::optional<TokenSet> tokens = cached(user);
      tokens && !tokens->needs_refresh(context_.host.now_unix_ms(), margin_ms()))
    return *tokens;
  // A process that just started, or another process refreshed: no lock needed to read.
  if (std::optional<TokenSet> tokens = context_.vault.load_tokens(user);
      tokens && !tokens->needs_refresh(context_.host.now_unix_ms(), margin_ms())) {
    cache(user, tokens);
    return *tokens;
  }
  return refresh_locked(user, false, 0);
}

TokenSet TokenManager::refresh(const std::string& user, int64_t not_before_ms) {
  std::lock_guard lock(user_mutex(user));
  return refresh_locked(user, true, not_before_ms);
}

void TokenManager::adopt(const std::string& user, const TokenSet& tokens) {
  std::lock_guard lock(user_mutex(user));
  context_.vault.save_tokens(user, tokens);
  cache(user, tokens);
}

TokenSet TokenManager::refresh_locked(const std::string& user, bool force, int64_t not_before_ms) {
  std::optional<sdk::Host::StorageLock> across_processes = context_.vault.lock_tokens(user, kStorageLockTimeoutMs);
  std::optional<TokenSet> stored = context_.vault.load_tokens(user);
  const int64_t now = context_.host.now_unix_ms();
  if (stored) {
    bool fresh_enough = force ? stored->obtained_at_ms > not_before_ms : !stored->needs_refresh(now, margin_ms());
    if (fresh_enough) {
      cache(user, stored);
      return *stored;
    }
  }
  if (stored && !force && now < paused_until(user)) {
    // The last attempt failed transiently moments ago: the tokens are kept, the AS is not hammered.
    if (!stored->expires_within(now, 0)) {
      cache(user, stored);
      return *stored;
    }
    throw sdk::Error(MCPAUTH_ERR_NETWORK,
                     "the authorization server could not refresh the tokens moments ago; they are kept, try again "
                     "later");
  }
  const bool client_credentials_grant = context_.settings.grant == Grant::client_credentials;
  if (!client_credentials_grant && !stored) {
    cache(user, std::nullopt);
    throw sign_in_required(context_.server_name, "not signed in to '" + context_.server_name + "'");
  }
  if (!client_credentials_grant && stored->refresh_token.empty()) {
    if (!force && !stored->expires_within(now, 0)) return *stored;  // usable until it expires
    throw sign_in_required(context_.server_name, "the access token expired and there is no refresh token");
  }
  TokenSet renewed;
  try {
    renewed =
        client_credentials_grant ? client_credentials(stored ? &*stored : nullptr) : use_refresh_token(user, *stored);
  } catch (const TokenError& e) {  // transient failures, and client_credentials' other failures
    context_.host.count_event("token_refresh_failed");
    if (e.failure() != TokenFailure::transient || !stored) throw;
    return ride_out_outage(user, *stored, e);
  }
  pause_refresh(user, 0);
  if (stored) {  // else client_credentials' first tokens
    context_.host.count_event("token_refreshed");
    context_.host.log(MCPAUTH_LOG_INFO, "refreshed the tokens" + (user.empty() ? "" : " of " + user));
  }
  // Persisted before anyone uses it: with rotation the old refresh token is now dead.
  context_.vault.save_tokens(user, renewed);
  cache(user, renewed);
  return renewed;
}

// The grant may well be fine: the held tokens are kept, refreshing pauses for a moment so the
// authorization server is not hammered, and a still-valid access token stays in use meanwhile.
TokenSet TokenManager::ride_out_outage(const std::string& user, const TokenSet& held, const TokenError& e) {
  const int64_t now = context_.host.now_unix_ms();
  if (held.expires_within(now, 0)) {
    pause_refresh(user, now + kTransientPauseMs);
    throw sdk::Error(MCPAUTH_ERR_NETWORK, std::string(e.what()) + "; the tokens are kept, try again later");
  }
  // Not past the token's expiry: the first caller after it tries again rather than fail.
  pause_refresh(
      user, held.expires_at_ms == 0 ? now + kTransientPauseMs : std::min(now + kTransientPauseMs, held.expires_at_ms));
  context_.host.log(MCPAUTH_LOG_WARN, std::string(e.what()) + "; using the current access token meanwhile");
  cache(user, held);
  return held;
}

JsonObject TokenManager::request_with_retries(const AuthServerMetadata& as, const ClientIdentity& client,
                                              const Params& form, const std::string& what, const TokenSet* held) {
  const int64_t give_up_at = context_.host.now_unix_ms() + kAttemptsWithoutTokenMs;
  for (int attempt = 1;; ++attempt) {
    try {
      return context_.token_client().request_tokens(as, client, form, what);
    } catch (const TokenError& e) {
      if (e.failure() != TokenFailure::transient) throw;
      const uint64_t backoff = std::min(kFirstBackoffMs << std::min(attempt - 1, 8), kMaxBackoffMs);
      const int64_t now = context_.host.now_unix_ms();
      // Usable: still valid when the next attempt would be made (else the caller fails with it).
      const bool held_usable = held && !held->expires_within(now, static_cast<int64_t>(backoff));
      if (attempt >= kTokenAttempts && (held_usable || now + static_cast<int64_t>(backoff) >= give_up_at)) throw;
      context_.host.log(MCPAUTH_LOG_WARN, std::string(e.what()) + "; retrying in " + std::to_string(backoff) + " ms");
      if (!context_.host.sleep_ms(backoff)) throw sdk::Error(MCPAUTH_ERR_CANCELLED, "shutting down");
    }
  }
}

TokenSet TokenManager::use_refresh_token(const std::string& user, const TokenSet& stored) {
  Discovery discovery = context_.discovery();
  const AuthServerMetadata& as = discovery.as;
  if (stored.issuer != as.issuer)
    throw sign_in_required(context_.server_name,
                           "the server now uses another authorization server (" + as.issuer + ")");
  std::optional<ClientIdentity> client = context_.clients.known(as, stored.client_id);
  if (!client) throw sign_in_required(context_.server_name, "the client registration behind these tokens is gone");

  Params form = {{"grant_type", "refresh_token"}, {"refresh_token", stored.refresh_token}};
  if (context_.settings.send_resource && !stored.resource.empty()) form.emplace_back("resource", stored.resource);
  try {
    JsonObject body = request_with_retries(as, *client, form, "refreshing the tokens", &stored);
    TokenSet renewed = read_token_response(body, context_.host.now_unix_ms(), stored.scopes, &stored);
    renewed.issuer = stored.issuer;
    renewed.client_id = stored.client_id;
    renewed.resource = stored.resource;
    return renewed;
  } catch (const TokenError& e) {
    if (e.failure() == TokenFailure::transient) throw;  // refresh_locked rides it out
    // The grant is dead (invalid_grant, invalid_client, ...): sign in again.
    context_.host.count_event("token_refresh_failed");
    if (e.failure() == TokenFailure::client_invalid) context_.clients.forget(*client);
    context_.vault.delete_tokens(user);
    cache(user, std::nullopt);
    throw sign_in_required(context_.server_name, e.what());
  }
}

TokenSet TokenManager::client_credentials(const TokenSet* held) {
  Discovery discovery = context_.discovery();
  ClientIdentity client = context_.clients.obtain(discovery.as, ClientRequest{"", MCPAUTH_FLOW_LOOPBACK});
  Params form = {{"grant_type", "client_credentials"}};
  if (!context_.settings.scopes.empty()) form.emplace_back("scope", join_scopes(context_.settings.scopes));
  if (context_.settings.send_resource) form.emplace_back("resource", discovery.resource);
  JsonObject body = request_with_retries(discovery.as, client, form, "client_credentials token request", held);
  TokenSet tokens = read_token_response(body, context_.host.now_unix_ms(), context_.settings.scopes, nullptr);
  tokens.refresh_token.clear();  // RFC 6749 4.4.3: none should be issued; a new grant is as cheap
  tokens.issuer = discovery.as.issuer;
  tokens.client_id = client.client_id;
  tokens.resource = discovery.resource;
  return tokens;
}

void TokenManager::forget_issued_to(const std::string& user, const std::string& client_id) {
  std::lock_guard lock(user_mutex(user));
  std::optional<TokenSet> tokens = context_.vault.load_tokens(user);
  if (!tokens || tokens->client_id != client_id) return;
  context_.vault.delete_tokens(user);
  cache(user, std::nullopt);
}

void TokenManager::logout(const std::string& user) {
  std::lock_guard lock(user_mutex(user));
  std::optional<TokenSet> tokens;
  try {
    tokens = context_.vault.load_tokens(user);
  } catch (const sdk::Error& e) {
    context_.host.log(MCPAUTH_LOG_WARN, std::string(e.what()) + " (deleting them without revocation)");
  }
  // Tokens without an issuer were supplied from outside (store_token): no AS of ours knows them.
  if (tokens && !tokens->issuer.empty()) {
    try {
      Discovery discovery = context_.discovery();
      if (std::optional<ClientIdentity> client = context_.clients.known(discovery.as, tokens->client_id);
          client && tokens->issuer == discovery.as.issuer) {
        context_.token_client().revoke(discovery.as, *client, tokens->refresh_token, "refresh_token");
        context_.token_client().revoke(discovery.as, *client, tokens->access_token, "access_token");
      }
    } catch (const sdk::Error& e) {
      context_.host.log(MCPAUTH_LOG_WARN, std::string("could not revoke the tokens: ") + e.what());
    }
  }
  context_.vault.delete_tokens(user);
  cache(user, std::nullopt);
}

}  // namespace mcpauth::oauth21
