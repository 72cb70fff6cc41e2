#include "pending_authorizations.h"

#include <algorithm>

namespace mcpauth::api {

PendingAuthorizations::PendingAuthorizations(Clock::duration ttl, std::size_t capacity, std::size_t per_user_capacity)
    : ttl_(ttl), capacity_(capacity), per_user_capacity_(per_user_capacity) {}

void PendingAuthorizations::add(const std::string& state, PendingAuthorization authorization) {
  std::lock_guard lock(mutex_);
  const Clock::time_point now = Clock::now();
  drop_expired(now);
  if (auto same = by_state_.find(state); same != by_state_.end()) erase(same->second);
  // One user starting sign-ins over and over must not push out everybody else's.
  while (count_of(authorization.user) >= per_user_capacity_) {
    erase(std::find_if(entries_.begin(), entries_.end(),
                       [&](const Entry& entry) { return entry.authorization.user == authorization.user; }));
  }
  while (entries_.size() >= capacity_) erase(entries_.begin());
  entries_.push_back(Entry{state, std::move(authorization), now + ttl_});
  by_state_[state] = std::prev(entries_.end());
}

std::optional<PendingAuthorization> PendingAuthorizations::take(const std::string& state) {
  std::lock_guard lock(mutex_);
  auto found = by_state_.find(state);
  if (found == by_state_.end()) return std::nullopt;
  Entries::iterator entry = found->second;
  std::optional<PendingAuthorization> out;
  if (Clock::now() < entry->expires) out = std::move(entry->authorization);
  erase(entry);
  return out;
}

std::size_t PendingAuthorizations::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void PendingAuthorizations::erase(Entries::iterator entry) {
  by_state_.erase(entry->state);
  entries_.erase(entry);
}

// Entries are in insertion order with one TTL, so the expired ones are at the front.
void PendingAuthorizations::drop_expired(Clock::time_point now) {
  while (!entries_.empty() && entries_.front().expires <= now) erase(entries_.begin());
}

std::size_t PendingAuthorizations::count_of(const std::string& user) const {
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(),
                                                [&](const Entry& entry) { return entry.authorization.user == user; }));
}

}  // namespace mcpauth::api
