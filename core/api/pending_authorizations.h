// Browser sign-ins in progress (GET .../oauth/start until its callback), kept in memory by state.
// Each is bound to the user, the server and the browser session that started it, is used at
// most once, expires, and the store is bounded: the oldest entries go first, overall and per user.
#pragma once

#include "mcpauth/core/instances.h"

#include <chrono>
#include <cstddef>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace mcpauth::api {

struct PendingAuthorization {
  std::string user;
  std::string server;
  std::string session;  // the browser session cookie's value
  core::Bytes pending;  // secret: the plugin's value for complete_authorization
};

class PendingAuthorizations {
 public:
  using Clock = std::chrono::steady_clock;

  PendingAuthorizations(Clock::duration ttl, std::size_t capacity, std::size_t per_user_capacity);

  // Replaces an entry with the same state.
  void add(const std::string& state, PendingAuthorization authorization);

  // Removes the entry (whatever the outcome: a state works once) and returns it unless expired.
  std::optional<PendingAuthorization> take(const std::string& state);

  std::size_t size() const;

 private:
  struct Entry {
    std::string state;
    PendingAuthorization authorization;
    Clock::time_point expires;
  };
  using Entries = std::list<Entry>;  // oldest first

  void erase(Entries::iterator entry);
  void drop_expired(Clock::time_point now);
  std::size_t count_of(const std::string& user) const;

  const Clock::duration ttl_;
  const std::size_t capacity_;
  const std::size_t per_user_capacity_;
  mutable std::mutex mutex_;
  Entries entries_;
  std::map<std::string, Entries::iterator> by_state_;
};

}  // namespace mcpauth::api
