// Exclusive named locks shared by every connection to the database, in this process and others:
// a held lock is a row in `locks` with a random owner id and a lease (expires_at, Unix ms).
// A background thread renews the leases of the locks this instance holds, so a live holder keeps
// its lock however long it works, and a crashed one (SIGKILL, power loss) blocks the others for
// at most one lease. See README.md, "Locks and leases".
#pragma once

#include "connections.h"

#include <mcpauth/plugin.hpp>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

namespace mcpauth::sqlite {

class LeaseLocks {
 public:
  LeaseLocks(Connections& connections, const sdk::Host& host, int64_t lease_ms);
  LeaseLocks(const LeaseLocks&) = delete;
  LeaseLocks& operator=(const LeaseLocks&) = delete;
  ~LeaseLocks();  // stops the renewal; every lock must have been released before

  // Polls until the lock is acquired or timeout_ms has passed (then nullptr).
  std::unique_ptr<sdk::StoragePlugin::Lock> acquire(const std::string& key, uint32_t timeout_ms);

 private:
  class Held;
  using Owned = std::pair<std::string, std::string>;  // key, owner id

  // One attempt: takes the lock if it is free or its lease has expired.
  bool try_take(const std::string& key, const std::string& owner);
  void release(const Owned& lock) noexcept;
  void renew_until_stopped();
  void renew(const std::set<Owned>& locks);

  Connections& connections_;
  const sdk::Host host_;
  const int64_t lease_ms_;
  const int64_t renew_every_ms_;  // a quarter lease: three renewals may fail before the lease lapses
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::set<Owned> held_;  // the locks this instance holds, for renewal
  std::thread renewer_;   // last: started once everything above exists
};

}  // namespace mcpauth::sqlite
