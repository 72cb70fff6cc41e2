// Valid tokens on demand. Refreshing is single-flight per (server, user): one thread of this
// process at a time (a mutex per user), and one process at a time among those sharing the store
// (the storage lock), re-reading the store once the lock is held, since another process may have
// refreshed already. Two refreshes with one refresh token must never happen: on some servers the
// replay revokes the whole grant.
#pragma once

#include "server_context.h"
#include "token_set.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mcpauth::oauth21 {

class TokenManager {
 public:
  explicit TokenManager(ServerContext& context) : context_(context) {}

  // Tokens that are valid now (refreshed when they expire within the margin, or obtained with
  // client_credentials). Throws sdk::Error(MCPAUTH_ERR_AUTH_REQUIRED) when the user must sign in.
  TokenSet current(const std::string& user);

  // Refresh now, unless tokens newer than `not_before_ms` are already there (another thread or
  // process refreshed after the caller saw its failure).
  TokenSet refresh(const std::string& user, int64_t not_before_ms);

  // Stores freshly obtained tokens (after an authorization): persisted first, then cached.
  void adopt(const std::string& user, const TokenSet& tokens);

  // The stored tokens, as they are (for status).
  std::optional<TokenSet> stored(const std::string& user) const { return context_.vault.load_tokens(user); }

  // Deletes the user's tokens, revoking them at the AS first when it can.
  void logout(const std::string& user);

  // Deletes the user's tokens, without revocation, when they were issued to client_id (the AS
  // has just said it no longer knows that client: its tokens are dead).
  void forget_issued_to(const std::string& user, const std::string& client_id);

 private:
  std::mutex& user_mutex(const std::string& user);
  std::optional<TokenSet> cached(const std::string& user);
  void cache(const std::string& user, const std::optional<TokenSet>& tokens);
  int64_t margin_ms() const { return context_.settings.refresh_margin_s * 1000; }

  // With the user's mutex held.
  TokenSet refresh_locked(const std::string& user, bool force, int64_t not_before_ms);
  TokenSet use_refresh_token(const std::string& user, const TokenSet& stored);
  TokenSet client_credentials(const TokenSet* held);
  TokenSet ride_out_outage(const std::string& user, const TokenSet& held, const TokenError& e);
  // Transient failures are retried with backoff: kTokenAttempts times while `held` (the tokens
  // the caller has, or null) is usable, longer while it is not.
  plugin_support::JsonObject request_with_retries(const AuthServerMetadata& as, const ClientIdentity& client,
                                                  const Params& form, const std::string& what, const TokenSet* held);

  ServerContext& context_;
  std::mutex mutexes_mutex_;
  std::map<std::string, std::unique_ptr<std::mutex>> user_mutexes_;
  std::mutex cache_mutex_;
  std::map<std::string, TokenSet> cache_;
  // After a transient refresh failure: no new attempt (except a forced one) before this time, so
  // that waiting callers do not each retry against an authorization server that is down.
  std::map<std::string, int64_t> paused_until_ms_;  // guarded by cache_mutex_
  int64_t paused_until(const std::string& user);
  void pause_refresh(const std::string& user, int64_t until_ms);
};

}  // namespace mcpauth::oauth21
