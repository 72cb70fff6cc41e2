// Concurrent use: no lost writes, no torn values, whether the writers are threads sharing an
// instance, instances in one process, or processes.
#include "limits.h"
#include "parties.h"
#include "suite.h"
#include "workload.h"

#include <catch2/catch.hpp>

using namespace contract;
using Failures = std::vector<std::string>;

namespace {

void run_workload(Mode mode, uint32_t workers, uint32_t rounds) {
  INFO(workers << " " << describe(mode));
  FreshStore fresh;
  const Workload workload{"concurrent/", workers, rounds};
  Parties parties(fresh, mode);
  parties.start_together(
      workers, [&](const mcpauth::core::StorageInstance& store, uint32_t id) { run_worker(store, workload, id); });
  CHECK(parties.finish(kPartyTimeout) == Failures{});
  // The final check runs as one more party, so that in Mode::threads it sees the same instance.
  parties.start([&](const mcpauth::core::StorageInstance& store) { check_final_state(store, workload); });
  CHECK(parties.finish(kPartyTimeout) == Failures{});
}

}  // namespace

TEST_CASE("concurrency: 8 threads sharing one instance", "[concurrency]") { run_workload(Mode::threads, 8, 40); }

TEST_CASE("concurrency: 4 instances of one store in one process", "[concurrency][shared]") {
  if (available(Needs::shared)) run_workload(Mode::instances, 4, 30);
}

TEST_CASE("concurrency: 4 processes on one store", "[concurrency][shared][processes]") {
  if (available(Needs::shared)) run_workload(Mode::processes, 4, 30);
}
