// Locks (optional: skipped with a warning when the plugin has none): exclusion, timeouts, hand-over,
// independence of keys; between threads, instances and processes.
#include "limits.h"
#include "locking.h"
#include "parties.h"
#include "suite.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace contract;
using mcpauth::core::StorageInstance;
using Failures = std::vector<std::string>;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// n parties each increment a counter m times under the lock; a lost update shows in the total.
void count_under_lock(Mode mode, uint32_t n, uint32_t m) {
  INFO(n << " " << describe(mode) << ", " << m << " increments each");
  FreshStore fresh;
  Shared<std::atomic<int>> holders;
  Parties parties(fresh, mode);
  parties.start_together(n, [&](const StorageInstance& store, uint32_t) {
    for (uint32_t i = 0; i < m; ++i) increment_under_lock(store, "counter", *holders);
  });
  CHECK(parties.finish(kPartyTimeout) == Failures{});
  parties.start([&](const StorageInstance& store) {
    auto value = store.get("counter");
    std::string total = value ? std::string(value->begin(), value->end()) : "(missing)";
    if (total != std::to_string(n * m))
      throw std::runtime_error("counter is " + total + ", expected " + std::to_string(n * m));
  });
  CHECK(parties.finish(kPartyTimeout) == Failures{});
}

// Steps shared by a holder and a contender (in shared memory, so processes can take part).
struct Handover {
  std::atomic<bool> held, release, waiting, contender_done;
  std::atomic<int64_t> released_at_ms;
};

// The holder takes the lock; the contender must time out on it but get other keys at once; then it
// waits for the lock, which the holder releases (and does not exit) while it waits.
void check_timeout_and_handover(Mode mode) {
  INFO(describe(mode));
  FreshStore fresh;
  Shared<Handover> steps;
  Parties parties(fresh, mode);
  parties.start([&](const StorageInstance& store) {
    HeldLock lock = lock_or_throw(store, "refresh");
    steps->held = true;
    if (!wait_until([&] { return steps->release.load(); }, kStartTimeout))
      throw std::runtime_error("never told to release");
    steps->released_at_ms = now_ms();
    lock.release();
    // Stay alive until the contender is done: the release, not our exit, must free the lock.
    wait_until([&] { return steps->contender_done.load(); }, kStartTimeout);
  });
  parties.start([&](const StorageInstance& store) {
    struct Done {
      std::atomic<bool>& flag;
      ~Done() { flag = true; }
    } done{steps->contender_done};
    if (!wait_until([&] { return steps->held.load(); }, kStartTimeout))
      throw std::runtime_error("the holder never got the lock");
    if (std::string problem = timeout_problem(try_lock(store, "refresh", kHeldLockTimeoutMs), kHeldLockTimeoutMs);
        !problem.empty())
      throw std::runtime_error(problem);
    HeldLock other = lock_or_throw(store, "refresh/other");  // another key is not blocked
    steps->waiting = true;
    LockAttempt attempt = try_lock(store, "refresh", kLockWaitMs);
    int64_t acquired_at = now_ms(), released_at = steps->released_at_ms;
    if (attempt.status != MCPAUTH_OK)
      throw std::runtime_error("the waiter never got the released lock: " + attempt.message);
    if (released_at == 0) throw std::runtime_error("the waiter got the lock while it was still held");
    if (acquired_at - released_at > kHandoverBound.count())
      throw std::runtime_error("the waiter got the lock " + std::to_string(acquired_at - released_at) +
                               " ms after its release");
  });
  // Let the contender sit in lock() for a while before the release.
  wait_until([&] { return steps->waiting || steps->contender_done; }, kStartTimeout);
  if (!steps->contender_done) std::this_thread::sleep_for(200ms);
  steps->release = true;
  CHECK(parties.finish(kPartyTimeout) == Failures{});
}

}  // namespace

TEST_CASE("locks: exclusion between threads sharing one instance", "[locks]") {
  if (available(Needs::locks)) count_under_lock(Mode::threads, 8, 25);
}

TEST_CASE("locks: a held lock times out, other keys stay free, release hands over (threads)", "[locks]") {
  if (available(Needs::locks)) check_timeout_and_handover(Mode::threads);
}

TEST_CASE("locks: different keys do not block each other", "[locks]") {
  if (!available(Needs::locks)) return;
  FreshStore fresh;
  auto store = fresh.open();
  const std::vector<std::string> keys{"a", "a/", "a/b", "ab", "A", "a.b", "a_b", "a%2eb", "é", "ключ"};
  std::vector<HeldLock> held;
  for (const auto& key : keys) {
    INFO("lock '" << key << "' while holding the ones before it");
    LockAttempt attempt = try_lock(*store, key, 1000);
    CHECK(attempt.message == "");
    REQUIRE(attempt.status == MCPAUTH_OK);
    CHECK(attempt.elapsed < 500ms);
    held.push_back(std::move(attempt.lock));
  }
  // Each is really held: a second attempt times out.
  for (const auto& key : {"a", "a/", "é"}) {
    INFO("lock '" << key << "' again");
    CHECK(timeout_problem(try_lock(*store, key, 100), 100) == "");
  }
}

TEST_CASE("locks: exclusion between instances of one store in one process", "[locks][shared]") {
  if (!available(Needs::locks) || !available(Needs::shared)) return;
  count_under_lock(Mode::instances, 4, 25);
  check_timeout_and_handover(Mode::instances);
}

TEST_CASE("locks: exclusion, timeout and hand-over between processes", "[locks][shared][processes]") {
  if (!available(Needs::locks) || !available(Needs::shared)) return;
  count_under_lock(Mode::processes, 4, 25);
  check_timeout_and_handover(Mode::processes);
}

TEST_CASE("locks: the lock of a SIGKILLed process becomes available", "[locks][shared][processes]") {
  if (!available(Needs::locks) || !available(Needs::shared)) return;
  FreshStore fresh;
  Shared<std::atomic<bool>> held;
  ChildProcess holder([&] {
    auto store = fresh.open();
    HeldLock lock = lock_or_throw(*store, "refresh");
    *held = true;
    std::this_thread::sleep_for(kPartyTimeout);  // until killed
  });
  if (!wait_until([&] { return held->load(); }, kStartTimeout))
    FAIL("the holder did not get the lock: " << holder.wait(1000ms));
  holder.kill();
  auto store = fresh.open();
  LockAttempt attempt = try_lock(*store, "refresh", kKilledHolderBoundMs);
  INFO("lock after the holder was killed: status " << attempt.status << " after " << attempt.elapsed.count()
                                                   << " ms: " << attempt.message);
  CHECK(attempt.status == MCPAUTH_OK);
}
