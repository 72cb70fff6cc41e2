// Lock helpers over StorageInstance::lock_raw/unlock_raw, usable from threads and children.
#pragma once

#include "mcpauth/core/instances.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace contract {

// A held lock, released by release() or the destructor.
class HeldLock {
 public:
  HeldLock() = default;
  HeldLock(const mcpauth::core::StorageInstance* store, mcpauth_lock* lock) : store_(store), lock_(lock) {}
  HeldLock(HeldLock&& other) noexcept;
  HeldLock& operator=(HeldLock&& other) noexcept;
  ~HeldLock() { release(); }

  void release();
  bool held() const { return lock_ != nullptr; }

 private:
  const mcpauth::core::StorageInstance* store_ = nullptr;
  mcpauth_lock* lock_ = nullptr;
};

struct LockAttempt {
  int32_t status = MCPAUTH_OK;
  std::string message;  // the plugin's message when status is not MCPAUTH_OK
  std::chrono::milliseconds elapsed{};
  HeldLock lock;  // held when status is MCPAUTH_OK
};

LockAttempt try_lock(const mcpauth::core::StorageInstance& store, const std::string& key, uint32_t timeout_ms);

// Acquires within kLockWaitMs or throws std::runtime_error.
HeldLock lock_or_throw(const mcpauth::core::StorageInstance& store, const std::string& key);

// "" when a lock attempt on a lock held elsewhere failed as the contract says: MCPAUTH_ERR_TIMEOUT,
// neither much sooner nor much later than asked; else what was wrong.
std::string timeout_problem(const LockAttempt& attempt, uint32_t timeout_ms);

// Under the lock named `key`, reads the decimal counter stored at `key` and writes it back plus one.
// `holders` counts the parties inside the lock (it must never exceed one); throws on any problem.
void increment_under_lock(const mcpauth::core::StorageInstance& store, const std::string& key,
                          std::atomic<int>& holders);

}  // namespace contract
