// Crash consistency (--crash): a writer SIGKILLed at a random instant leaves every key either as
// it was before its first write or holding one complete value, and no debris that list() shows.
#include "child_process.h"
#include "fresh_store.h"
#include "limits.h"
#include "listing.h"
#include "suite.h"
#include "values.h"

#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <thread>

using namespace contract;

namespace {

constexpr uint32_t kKeys = 8;
constexpr int kRounds = 16;
using Versions = std::array<uint32_t, kKeys>;  // per key; 0 = never written

// What the writer has confirmed: put() returned for this version.
struct Progress {
  std::array<std::atomic<uint32_t>, kKeys> confirmed;
  std::atomic<bool> writing;
};

std::string key(uint32_t k) { return "crash/" + std::to_string(k); }

// Versions alternate between small and large values, so a kill can land in the middle of a long
// write and an overwrite that does not truncate shows.
size_t body_size(uint32_t k, uint32_t version) { return version % 2 ? 64 + k : 48 * 1024 + k * 1000; }

// The writer: overwrites the keys round-robin until it is killed.
void write_until_killed(const FreshStore& fresh, Versions versions, Progress& progress) {
  auto store = fresh.open();
  progress.writing = true;
  for (uint32_t i = 0;; i = (i + 1) % kKeys) {
    uint32_t version = ++versions[i];
    store->put(key(i), stamped_value(key(i), {0, version}, body_size(i, version)));
    progress.confirmed[i] = version;
  }
}

// After a kill: every key holds its last confirmed version or the one after (in flight), or is
// absent if nothing was ever confirmed; list() shows exactly the present keys; the store still
// takes writes. Returns the versions found.
Versions check_after_kill(const FreshStore& fresh, const Progress& progress) {
  auto store = fresh.open();
  Versions found{};
  std::vector<std::string> present;
  for (uint32_t k = 0; k < kKeys; ++k) {
    INFO("key '" << key(k) << "', last confirmed version " << progress.confirmed[k]);
    auto value = store->get(key(k));
    if (!value) {
      CHECK(progress.confirmed[k] == 0);
      continue;
    }
    found[k] = read_stamp(key(k), *value).version;
    CHECK(found[k] >= progress.confirmed[k]);
    CHECK(found[k] <= progress.confirmed[k] + 1);
    present.push_back(key(k));
  }
  CHECK(sorted_list(*store, "") == present);
  store->put("probe", as_bytes("still writable"));
  CHECK(mismatch(store->get("probe"), as_bytes("still writable")) == "");
  CHECK(store->remove("probe"));
  return found;
}

}  // namespace

TEST_CASE("crash: a writer killed at random instants leaves only complete values", "[crash]") {
  if (!available(Needs::crash)) return;
  uint32_t seed = Catch::rngSeed() != 0 ? Catch::rngSeed() : std::random_device{}();
  INFO("kill delays from seed " << seed << " (repeat them with --rng-seed " << seed << ")");
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(5, 150);

  FreshStore fresh;
  Shared<Progress> progress;
  Versions versions{};
  for (int round = 0; round < kRounds; ++round) {
    INFO("round " << round + 1 << " of " << kRounds);
    for (uint32_t k = 0; k < kKeys; ++k) progress->confirmed[k] = versions[k];
    progress->writing = false;
    ChildProcess writer([&] { write_until_killed(fresh, versions, *progress); });
    if (!wait_until([&] { return progress->writing.load(); }, kStartTimeout))
      FAIL("the writer did not start: " << writer.wait(1000ms));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    if (!writer.running()) FAIL("the writer stopped by itself: " << writer.wait(0ms));
    writer.kill();
    versions = check_after_kill(fresh, *progress);
  }
}
