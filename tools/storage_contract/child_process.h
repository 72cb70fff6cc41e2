// A forked child process running one function, bounded in time. Children never use Catch: they
// fail by throwing, and the parent gets the exception's message back (through shared memory).
#pragma once

#include "shared_memory.h"

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace contract {

class ChildProcess {
 public:
  // Forks; the child runs body and exits (0 on success, 1 when body threw). It dies with the
  // parent, and by SIGALRM after kChildLimitSeconds at the latest.
  explicit ChildProcess(const std::function<void()>& body);
  ~ChildProcess();  // kills and reaps a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits for the child to end: "" when it succeeded, else what went wrong (its exception message,
  // exit status or signal). A child still running at the deadline is killed and reported.
  std::string wait(std::chrono::milliseconds timeout);
  bool running();
  // SIGKILL, then reap (if it is still running).
  void kill();

  static constexpr unsigned kChildLimitSeconds = 60;

 private:
  struct Report {
    char message[1024];
  };

  pid_t pid_ = -1;
  std::optional<int> status_;  // the wait status, once reaped
  Shared<Report> report_;
};

// Polls condition every millisecond: true as soon as it holds, false when timeout passed first.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace contract
