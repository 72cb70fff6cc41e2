#include "parties.h"

#include "limits.h"

#include <atomic>
#include <stdexcept>

namespace contract {

using mcpauth::core::StorageInstance;

Parties::Parties(const FreshStore& store, Mode mode) : store_(store), mode_(mode) {
  if (mode == Mode::threads) shared_instance_ = store.open();
}

Parties::~Parties() {
  for (auto& party : threads_)
    if (party->thread.joinable()) party->thread.join();
}

void Parties::start(Body body) {
  if (mode_ == Mode::processes) {
    processes_.push_back(std::make_unique<ChildProcess>([&store = store_, body] { body(*store.open()); }));
    return;
  }
  auto party = std::make_unique<Thread>();
  party->thread = std::thread([this, body, &failure = party->failure] {
    try {
      if (mode_ == Mode::threads)
        body(*shared_instance_);
      else
        body(*store_.open());
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "unknown exception";
    }
  });
  threads_.push_back(std::move(party));
}

void Parties::start_together(uint32_t n, std::function<void(const StorageInstance&, uint32_t)> body) {
  // Threads keep the counter alive through their copy of the lambda; children through their copy
  // of the mapping, which survives the parent's munmap.
  auto ready = std::make_shared<Shared<std::atomic<uint32_t>>>();
  for (uint32_t index = 0; index < n; ++index) {
    start([ready, n, index, body](const StorageInstance& instance) {
      ++**ready;
      if (!wait_until([&] { return **ready == n; }, kStartTimeout))
        throw std::runtime_error("the other parties did not get their instance in time");
      body(instance, index);
    });
  }
}

std::vector<std::string> Parties::finish(std::chrono::milliseconds timeout) {
  std::vector<std::string> failures;
  for (size_t i = 0; i < processes_.size(); ++i) {
    std::string failure = processes_[i]->wait(timeout);
    if (!failure.empty()) failures.push_back("process " + std::to_string(i) + ": " + failure);
  }
  // Threads cannot be abandoned; the per-test-case watchdog bounds a hung one.
  for (size_t i = 0; i < threads_.size(); ++i) {
    threads_[i]->thread.join();
    if (!threads_[i]->failure.empty()) failures.push_back("thread " + std::to_string(i) + ": " + threads_[i]->failure);
  }
  processes_.clear();
  threads_.clear();
  return failures;
}

const char* describe(Mode mode) {
  switch (mode) {
    case Mode::threads:
      return "threads sharing one instance";
    case Mode::instances:
      return "threads with an instance each";
    case Mode::processes:
      return "processes with an instance each";
  }
  return "?";
}

}  // namespace contract
