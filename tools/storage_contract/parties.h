// The parties of a multi-party test, all working on one FreshStore, in one of three set-ups:
// threads sharing one instance, threads with an instance each, or processes with an instance
// each (opened in the child, after the fork). Bodies fail by throwing; they must not use Catch
// macros, since a child process cannot report through Catch.
#pragma once

#include "child_process.h"
#include "fresh_store.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace contract {

enum class Mode { threads, instances, processes };

class Parties {
 public:
  using Body = std::function<void(const mcpauth::core::StorageInstance&)>;

  Parties(const FreshStore& store, Mode mode);
  ~Parties();  // joins threads, kills processes still running

  // Starts one party now.
  void start(Body body);
  // Starts n parties that begin body(instance, index) together, once all have their instance.
  void start_together(uint32_t n, std::function<void(const mcpauth::core::StorageInstance&, uint32_t)> body);
  // Waits for every party to end; one line per failed party (empty when all succeeded).
  std::vector<std::string> finish(std::chrono::milliseconds timeout);

 private:
  struct Thread {
    std::thread thread;
    std::string failure;
  };

  const FreshStore& store_;
  Mode mode_;
  std::unique_ptr<mcpauth::core::StorageInstance> shared_instance_;  // Mode::threads only
  std::vector<std::unique_ptr<Thread>> threads_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
};

// "threads sharing one instance" etc., for test messages.
const char* describe(Mode mode);

}  // namespace contract
