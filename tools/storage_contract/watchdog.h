// Bounds every test case in time: a plugin call that never returns (a thread cannot be abandoned)
// ends the run with a message naming the test case, instead of hanging it.
#pragma once

#include <string>

namespace contract {

void arm_watchdog(const std::string& test_case);
void disarm_watchdog();

}  // namespace contract
