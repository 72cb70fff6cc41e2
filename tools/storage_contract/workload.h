// The concurrency workload. Each worker writes, re-reads and removes keys of its own and writes a
// key shared by all, checking every read; every value is self-checking, so a torn value is caught
// where it is read. What must be left at the end is known, so the final check finds lost writes.
#pragma once

#include "mcpauth/core/instances.h"

#include <cstdint>
#include <string>

namespace contract {

struct Workload {
  std::string prefix;  // every key of the workload starts with it
  uint32_t workers = 0;
  uint32_t rounds = 0;
};

// Worker `id` does its share; throws std::runtime_error at the first wrong answer.
void run_worker(const mcpauth::core::StorageInstance& store, const Workload& workload, uint32_t id);

// After all workers: every surviving key holds its last value, no removed key came back, the
// shared key holds some worker's last write, and list() shows exactly that. Throws otherwise.
void check_final_state(const mcpauth::core::StorageInstance& store, const Workload& workload);

}  // namespace contract
