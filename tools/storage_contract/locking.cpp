#include "locking.h"

#include "limits.h"

#include <cstring>
#include <optional>
#include <stdexcept>
#include <utility>

namespace contract {

using mcpauth::core::Bytes;
using mcpauth::core::StorageInstance;

HeldLock::HeldLock(HeldLock&& other) noexcept : store_(other.store_), lock_(std::exchange(other.lock_, nullptr)) {}

HeldLock& HeldLock::operator=(HeldLock&& other) noexcept {
  if (this != &other) {
    release();
    store_ = other.store_;
    lock_ = std::exchange(other.lock_, nullptr);
  }
  return *this;
}

void HeldLock::release() {
  if (lock_ != nullptr) store_->unlock_raw(std::exchange(lock_, nullptr));
}

LockAttempt try_lock(const StorageInstance& store, const std::string& key, uint32_t timeout_ms) {
  LockAttempt attempt;
  mcpauth_lock* lock = nullptr;
  mcpauth_error err{};
  auto start = std::chrono::steady_clock::now();
  attempt.status = store.lock_raw(key.c_str(), timeout_ms, &lock, &err);
  attempt.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  if (attempt.status == MCPAUTH_OK) {
    if (lock == nullptr) throw std::runtime_error("lock('" + key + "') returned OK but no lock handle");
    attempt.lock = HeldLock(&store, lock);
  } else {
    attempt.message.assign(err.message, strnlen(err.message, sizeof err.message));
  }
  return attempt;
}

HeldLock lock_or_throw(const StorageInstance& store, const std::string& key) {
  LockAttempt attempt = try_lock(store, key, kLockWaitMs);
  if (attempt.status != MCPAUTH_OK)
    throw std::runtime_error("lock('" + key + "') failed with status " + std::to_string(attempt.status) + " after " +
                             std::to_string(attempt.elapsed.count()) + " ms: " + attempt.message);
  return std::move(attempt.lock);
}

std::string timeout_problem(const LockAttempt& attempt, uint32_t timeout_ms) {
  std::string asked = "lock with a " + std::to_string(timeout_ms) + " ms timeout on a lock held elsewhere ";
  if (attempt.status == MCPAUTH_OK) return asked + "was granted: no exclusion";
  if (attempt.status != MCPAUTH_ERR_TIMEOUT)
    return asked + "failed with status " + std::to_string(attempt.status) +
           " instead of MCPAUTH_ERR_TIMEOUT: " + attempt.message;
  auto elapsed = attempt.elapsed.count();
  if (elapsed < timeout_ms * 3 / 4) return asked + "gave up early, after " + std::to_string(elapsed) + " ms";
  if (attempt.elapsed > std::chrono::milliseconds(timeout_ms) + kTimeoutLateness)
    return asked + "took " + std::to_string(elapsed) + " ms to time out";
  return "";
}

void increment_under_lock(const StorageInstance& store, const std::string& key, std::atomic<int>& holders) {
  HeldLock lock = lock_or_throw(store, key);
  if (++holders != 1) throw std::runtime_error("two parties held lock '" + key + "' at the same time");
  std::optional<Bytes> stored = store.get(key);
  unsigned long count = stored ? std::stoul(std::string(stored->begin(), stored->end())) : 0;
  std::string next = std::to_string(count + 1);
  store.put(key, Bytes(next.begin(), next.end()));
  --holders;
}

}  // namespace contract
