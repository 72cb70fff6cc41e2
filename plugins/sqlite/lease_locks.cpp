#include "lease_locks.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace mcpauth::sqlite {
namespace {

constexpr int64_t kPollMs = 20;  // between attempts while another holder has the lock

std::string random_owner_id(const sdk::Host& host) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id;
  for (uint8_t byte : host.random_bytes(16)) {
    id += kDigits[byte >> 4];
    id += kDigits[byte & 15];
  }
  return id;
}

}  // namespace

class LeaseLocks::Held : public sdk::StoragePlugin::Lock {
 public:
  Held(LeaseLocks& locks, Owned lock) : locks_(locks), lock_(std::move(lock)) {}
  ~Held() override { locks_.release(lock_); }

 private:
  LeaseLocks& locks_;
  Owned lock_;
};

LeaseLocks::LeaseLocks(Connections& connections, const sdk::Host& host, int64_t lease_ms)
    : connections_(connections),
      host_(host),
      lease_ms_(lease_ms),
      renew_every_ms_(lease_ms / 4),
      renewer_(&LeaseLocks::renew_until_stopped, this) {}

LeaseLocks::~LeaseLocks() {
  {
    std::lock_guard guard(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  renewer_.join();
}

std::unique_ptr<sdk::StoragePlugin::Lock> LeaseLocks::acquire(const std::string& key, uint32_t timeout_ms) {
  // One owner id per acquisition: threads of one process exclude each other too.
  std::string owner = random_owner_id(host_);
  const int64_t deadline = host_.monotonic_ms() + timeout_ms;
  while (!try_take(key, owner)) {
    int64_t left = deadline - host_.monotonic_ms();
    if (left <= 0) return nullptr;
    if (!host_.sleep_ms(static_cast<uint64_t>(std::min(left, kPollMs))))
      throw sdk::Error(MCPAUTH_ERR_CANCELLED, "lock '" + key + "': the instance is shutting down");
  }
  // Should anything below throw, the row is released (or, at worst, expires after one lease).
  Owned owned{key, std::move(owner)};
  auto held = std::make_unique<Held>(*this, owned);
  std::lock_guard guard(mutex_);
  held_.insert(std::move(owned));
  return held;
}

bool LeaseLocks::try_take(const std::string& key, const std::string& owner) {
  return connections_.with("lock '" + key + "'", [&](Database& db) {
    Transaction transaction(db);
    // The clock is read once the write lock is ours, so waiting for it cannot shorten a lease.
    int64_t now = host_.now_unix_ms();
    Statement(db, "DELETE FROM locks WHERE key = ?1 AND expires_at <= ?2").bind(1, key).bind(2, now).step();
    Statement(db, "INSERT INTO locks(key, owner, expires_at) VALUES(?1, ?2, ?3) ON CONFLICT(key) DO NOTHING")
        .bind(1, key)
        .bind(2, owner)
        .bind(3, now + lease_ms_)
        .step();
    bool taken = db.changes() == 1;
    transaction.commit();
    return taken;
  });
}

void LeaseLocks::release(const Owned& lock) noexcept {
  try {
    {
      std::lock_guard guard(mutex_);
      held_.erase(lock);
    }
    // The owner check matters when the lease was lost: the row then belongs to someone else.
    connections_.with("unlock '" + lock.first + "'", [&](Database& db) {
      Statement(db, "DELETE FROM locks WHERE key = ?1 AND owner = ?2").bind(1, lock.first).bind(2, lock.second).step();
    });
  } catch (const std::exception& e) {
    host_.log(MCPAUTH_LOG_WARN, std::string(e.what()) + "; the lock frees itself when its lease expires");
  }
}

void LeaseLocks::renew_until_stopped() {
  std::unique_lock lock(mutex_);
  while (!stop_.wait_for(lock, std::chrono::milliseconds(renew_every_ms_), [&] { return stopping_; })) {
    if (held_.empty()) continue;
    try {
      std::set<Owned> snapshot = held_;
      lock.unlock();
      renew(snapshot);
    } catch (const std::exception&) {  // out of memory copying the set: try again next round
    }
    if (!lock.owns_lock()) lock.lock();
  }
}

void LeaseLocks::renew(const std::set<Owned>& locks) {
  std::vector<const Owned*> lost;
  try {
    connections_.with("renew lock leases", [&](Database& db) {
      Transaction transaction(db);
      int64_t expires_at = host_.now_unix_ms() + lease_ms_;
      for (const Owned& owned : locks) {
        Statement(db, "UPDATE locks SET expires_at = ?3 WHERE key = ?1 AND owner = ?2")
            .bind(1, owned.first)
            .bind(2, owned.second)
            .bind(3, expires_at)
            .step();
        if (db.changes() == 0) lost.push_back(&owned);
      }
      transaction.commit();
    });
  } catch (const std::exception& e) {
    host_.log(MCPAUTH_LOG_WARN, std::string(e.what()) + "; retrying in " + std::to_string(renew_every_ms_) + " ms");
    return;
  }
  std::lock_guard guard(mutex_);
  for (const Owned* owned : lost)
    if (held_.contains(*owned))  // not released in the meantime
      host_.log(MCPAUTH_LOG_ERROR, "lock '" + owned->first +
                                       "' was lost: its lease expired before it could be renewed, so another holder "
                                       "may have taken it");
}

}  // namespace mcpauth::sqlite
