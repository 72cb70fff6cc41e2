#include "watchdog.h"

#include "limits.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace contract {
namespace {

char message[512];
int message_length = 0;

void on_alarm(int) {
  // Only async-signal-safe calls here. Children die with us (PR_SET_PDEATHSIG).
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, message, message_length);
  ::_exit(124);
}

}  // namespace

void arm_watchdog(const std::string& test_case) {
  message_length = std::snprintf(message, sizeof message,
                                 "\nmcpauth-storage-contract: test case '%s' still running after %u s: a plugin "
                                 "call probably hangs; giving up\n",
                                 test_case.c_str(), kTestCaseLimitSeconds);
  if (message_length >= static_cast<int>(sizeof message)) message_length = sizeof message - 1;
  struct sigaction action {};
  action.sa_handler = on_alarm;
  ::sigaction(SIGALRM, &action, nullptr);
  ::alarm(kTestCaseLimitSeconds);
}

void disarm_watchdog() { ::alarm(0); }

}  // namespace contract
