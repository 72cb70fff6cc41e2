#include "workload.h"

#include "listing.h"
#include "values.h"

#include <map>
#include <stdexcept>
#include <vector>

namespace contract {
namespace {

using mcpauth::core::StorageInstance;

constexpr uint32_t kOwnKeys = 4;

// One step of a worker on its own keys: put `key` at `version`, or remove it (version 0).
struct Step {
  std::string key;
  uint32_t version;
};

// A worker's steps, a pure function of (workload, id) so the final check can replay them.
std::vector<Step> plan(const Workload& workload, uint32_t id) {
  std::vector<Step> steps;
  auto own = [&](uint32_t n) {
    return workload.prefix + "w" + std::to_string(id) + "/" + std::to_string(n % kOwnKeys);
  };
  for (uint32_t round = 0; round < workload.rounds; ++round) {
    steps.push_back({own(round), round + 1});
    if (round % 3 == 2) steps.push_back({own(round + 2), 0});
  }
  return steps;
}

std::string shared_key(const Workload& workload) { return workload.prefix + "shared"; }

// Sizes vary, so overwrites make values both grow and shrink.
size_t body_size(uint32_t id, uint32_t version) { return (version * 389 + id * 131) % 3000; }

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

void expect_stamp(const StorageInstance& store, const std::string& key, Stamp expected) {
  auto value = store.get(key);
  if (!value)
    fail("key '" + key + "' is missing; expected version " + std::to_string(expected.version) + " of worker " +
         std::to_string(expected.writer) + " (lost write)");
  Stamp stamp = read_stamp(key, *value);
  if (stamp.writer != expected.writer || stamp.version != expected.version)
    fail("key '" + key + "' holds version " + std::to_string(stamp.version) + " of worker " +
         std::to_string(stamp.writer) + "; expected version " + std::to_string(expected.version) + " of worker " +
         std::to_string(expected.writer) + " (lost write)");
}

}  // namespace

void run_worker(const StorageInstance& store, const Workload& workload, uint32_t id) {
  std::map<std::string, uint32_t> present;
  uint32_t shared_writes = 0;
  for (const Step& step : plan(workload, id)) {
    if (step.version != 0) {
      store.put(step.key, stamped_value(step.key, {id, step.version}, body_size(id, step.version)));
      present[step.key] = step.version;
      expect_stamp(store, step.key, {id, step.version});
    } else {
      bool existed = present.erase(step.key) > 0;
      if (store.remove(step.key) != existed)
        fail("remove('" + step.key + "') reported " +
             (existed ? "not found for a key that exists" : "success for a missing key"));
      if (store.get(step.key)) fail("key '" + step.key + "' is still there after remove");
    }
    // Everybody writes the shared key; a read may see any worker's value, but a complete one.
    std::string shared = shared_key(workload);
    store.put(shared, stamped_value(shared, {id, ++shared_writes}, body_size(id, shared_writes) + 64));
    auto value = store.get(shared);
    if (!value) fail("the shared key is missing although every worker only writes it");
    if (read_stamp(shared, *value).writer >= workload.workers) fail("the shared key holds an unknown writer's value");
  }
}

void check_final_state(const StorageInstance& store, const Workload& workload) {
  std::vector<std::string> expected_keys{shared_key(workload)};
  std::vector<uint32_t> shared_writes(workload.workers, 0);
  for (uint32_t id = 0; id < workload.workers; ++id) {
    std::map<std::string, uint32_t> present;
    for (const Step& step : plan(workload, id)) {
      if (step.version != 0)
        present[step.key] = step.version;
      else
        present.erase(step.key);
      ++shared_writes[id];
    }
    for (const auto& [key, version] : present) {
      expect_stamp(store, key, {id, version});
      expected_keys.push_back(key);
    }
  }
  auto shared = store.get(shared_key(workload));
  if (!shared) fail("the shared key is missing");
  Stamp last = read_stamp(shared_key(workload), *shared);
  if (last.writer >= workload.workers || last.version != shared_writes[last.writer])
    fail("the shared key holds version " + std::to_string(last.version) + " of worker " + std::to_string(last.writer) +
         ", which is not that worker's last write (lost write)");
  std::vector<std::string> listed = sorted_list(store, workload.prefix);
  if (listed != sorted(expected_keys))
    fail("list('" + workload.prefix + "') returned " + std::to_string(listed.size()) + " keys; expected " +
         std::to_string(expected_keys.size()));
}

}  // namespace contract
