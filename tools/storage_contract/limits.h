// Every bound the suite applies, in one place (README.md documents the ones plugins must meet).
#pragma once

#include <chrono>
#include <cstdint>

namespace contract {

using namespace std::chrono_literals;

// A whole test case; past it the watchdog ends the run (a plugin call hangs).
constexpr unsigned kTestCaseLimitSeconds = 120;
// A party (thread or process) doing its share of a test.
constexpr std::chrono::milliseconds kPartyTimeout = 45s;
// Parties waiting for each other to start, or for a step of a choreography.
constexpr std::chrono::milliseconds kStartTimeout = 15s;

// Lock attempts that must succeed (the lock is free or about to be released).
constexpr uint32_t kLockWaitMs = 10'000;
// The timeout asked for when the lock is held by someone else...
constexpr uint32_t kHeldLockTimeoutMs = 300;
// ...and what counts as honouring it: MCPAUTH_ERR_TIMEOUT no sooner than 3/4 of it, and at most
// this much later than asked.
constexpr std::chrono::milliseconds kTimeoutLateness = 1000ms;
// A waiter must get a lock at most this long after its holder released it.
constexpr std::chrono::milliseconds kHandoverBound = 1000ms;
// A lock whose holder was SIGKILLed must be acquirable with this timeout.
constexpr uint32_t kKilledHolderBoundMs = 5'000;

}  // namespace contract
