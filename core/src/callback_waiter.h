// One wait for one authorization callback, shared by the thread that waits, the HTTP threads and
// the paste reader. It decides which callback wins (the first with the right state) and carries
// the handler's outcome back to the waiting thread.
#pragma once

#include "mcpauth/core/loopback_callback.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

namespace mcpauth::core {

class CallbackWaiter {
 public:
  CallbackWaiter(std::string state, CallbackHandler handler);

  enum class Claim {
    wrong_state,  // no state, or another one: not the sign-in being waited for
    gone,         // right state, but another callback won already (or the wait timed out)
    won,          // the caller must now call handle() and then publish()
  };
  Claim claim(const std::string& query);

  struct Outcome {
    bool succeeded = false;
    std::string message;       // for the page: the handler's message or its error's (redacted)
    std::exception_ptr error;  // what the handler threw, for the waiting thread
  };
  Outcome handle(const std::string& query) const;
  // Ends the wait. Separate from handle() so that an HTTP thread can send its page first.
  void publish(Outcome outcome);

  bool waiting() const;
  // The winner's outcome (after it was published), or nullopt when nothing was claimed before
  // deadline; every later callback is then gone.
  std::optional<Outcome> await(std::chrono::steady_clock::time_point deadline);

 private:
  enum class Phase { waiting, handling, answered, closed };

  const std::string state_;
  const CallbackHandler handler_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Phase phase_ = Phase::waiting;
  Outcome outcome_;
};

}  // namespace mcpauth::core
