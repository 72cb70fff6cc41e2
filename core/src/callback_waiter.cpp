#include "callback_waiter.h"

#include "callback_query.h"
#include "mcpauth/core/redact.h"

#include <openssl/crypto.h>

namespace mcpauth::core {
namespace {

// Constant time in the contents, so the state cannot be guessed a byte at a time.
bool same_state(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

CallbackWaiter::CallbackWaiter(std::string state, CallbackHandler handler)
    : state_(std::move(state)), handler_(std::move(handler)) {}

CallbackWaiter::Claim CallbackWaiter::claim(const std::string& query) {
  std::optional<std::string> state = query_parameter(query, "state");
  if (!state || !same_state(*state, state_)) return Claim::wrong_state;
  std::lock_guard lock(mutex_);
  if (phase_ != Phase::waiting) return Claim::gone;
  phase_ = Phase::handling;
  return Claim::won;
}

CallbackWaiter::Outcome CallbackWaiter::handle(const std::string& query) const {
  try {
    return Outcome{true, handler_(query), nullptr};
  } catch (const std::exception& e) {
    // Messages are secret-free by contract; redact() is the second line of defence.
    return Outcome{false, redact(e.what()), std::current_exception()};
  } catch (...) {
    return Outcome{false, "sign-in failed for an unknown reason", std::current_exception()};
  }
}

void CallbackWaiter::publish(Outcome outcome) {
  {
    std::lock_guard lock(mutex_);
    outcome_ = std::move(outcome);
    phase_ = Phase::answered;
  }
  changed_.notify_all();
}

bool CallbackWaiter::waiting() const {
  std::lock_guard lock(mutex_);
  return phase_ == Phase::waiting;
}

std::optional<CallbackWaiter::Outcome> CallbackWaiter::await(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_until(lock, deadline, [this] { return phase_ != Phase::waiting; })) {
    phase_ = Phase::closed;
    return std::nullopt;
  }
  // Claimed in time: the handler runs to its end (it uses the caller's objects), however long.
  changed_.wait(lock, [this] { return phase_ == Phase::answered; });
  return outcome_;
}

}  // namespace mcpauth::core
