// Leases: a crashed holder's lock frees itself after the lease; a live holder's is renewed.
#include "support.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace sqlite_test;

namespace {

constexpr const char* kShortLease = R"("lock_lease_ms":300)";

mcpauth_lock* try_lock(const StorageInstance& store, const char* key, uint32_t timeout_ms, int32_t expected) {
  mcpauth_lock* lock = nullptr;
  mcpauth_error err{};
  int32_t status = store.lock_raw(key, timeout_ms, &lock, &err);
  INFO(err.message);
  CHECK(status == expected);
  return status == MCPAUTH_OK ? lock : nullptr;
}

}  // namespace

TEST_CASE("a lock left by a crashed holder is free once its lease has expired") {
  TempDir dir;
  set_key(kKeyA);
  auto store = open_store(dir.db(), kShortLease);
  int64_t expires_at = now_ms() + 400;
  RawDb(dir.db()).run("INSERT INTO locks(key, owner, expires_at) VALUES(?1, 'crashed', ?2)", "refresh",
                      std::to_string(expires_at));

  try_lock(*store, "refresh", 50, MCPAUTH_ERR_TIMEOUT);
  mcpauth_lock* lock = try_lock(*store, "refresh", 5000, MCPAUTH_OK);
  CHECK(now_ms() >= expires_at);
  CHECK(RawDb(dir.db()).text("SELECT owner FROM locks WHERE key = ?1", "refresh") != "crashed");
  store->unlock_raw(lock);
  CHECK(RawDb(dir.db()).text("SELECT count(*) FROM locks") == "0");
}

TEST_CASE("a live holder keeps its lock beyond the lease; other instances wait for the unlock") {
  TempDir dir;
  set_key(kKeyA);
  auto holder = open_store(dir.db(), kShortLease);
  auto other = open_store(dir.db(), kShortLease);
  mcpauth_lock* held = try_lock(*holder, "refresh", 0, MCPAUTH_OK);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // three leases
  try_lock(*other, "refresh", 100, MCPAUTH_ERR_TIMEOUT);
  mcpauth_lock* other_key = try_lock(*other, "another", 0, MCPAUTH_OK);
  holder->unlock_raw(held);
  mcpauth_lock* taken = try_lock(*other, "refresh", 100, MCPAUTH_OK);
  other->unlock_raw(taken);
  other->unlock_raw(other_key);
}

TEST_CASE("unlock removes only the caller's own lock row") {
  TempDir dir;
  set_key(kKeyA);
  auto store = open_store(dir.db(), kShortLease);
  mcpauth_lock* held = try_lock(*store, "refresh", 0, MCPAUTH_OK);
  // As if the lease had expired and another process had taken the lock meanwhile.
  RawDb(dir.db()).run("UPDATE locks SET owner = ?2 WHERE key = ?1", "refresh", "someone-else");
  CapturedLog log;
  store->unlock_raw(held);
  CHECK(RawDb(dir.db()).text("SELECT owner FROM locks WHERE key = ?1", "refresh") == "someone-else");
}
