#include "child_process.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <exception>
#include <system_error>
#include <thread>

namespace contract {
namespace {

// Runs in the child only: never returns, never runs the parent's destructors or atexit handlers.
[[noreturn]] void run_child(const std::function<void()>& body, char* message, size_t capacity, pid_t parent) {
  ::signal(SIGALRM, SIG_DFL);
  ::alarm(ChildProcess::kChildLimitSeconds);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(3);  // the parent died before prctl
  try {
    body();
    ::_exit(0);
  } catch (const std::exception& e) {
    std::strncpy(message, e.what(), capacity - 1);
  } catch (...) {
    std::strncpy(message, "unknown exception", capacity - 1);
  }
  ::_exit(1);
}

std::string describe(int status, const char* message) {
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 0) return "";
    if (WEXITSTATUS(status) == 1 && message[0] != '\0') return message;
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status))
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
  return "ended with wait status " + std::to_string(status);
}

}  // namespace

ChildProcess::ChildProcess(const std::function<void()>& body) {
  pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid_ == 0) run_child(body, report_->message, sizeof report_->message, parent);
}

ChildProcess::~ChildProcess() { kill(); }

bool ChildProcess::running() {
  if (status_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
  status_ = status;
  return false;
}

std::string ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (!wait_until([&] { return !running(); }, timeout)) {
    kill();
    return "did not finish within " + std::to_string(timeout.count()) + " ms (killed)";
  }
  return describe(*status_, report_->message);
}

void ChildProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);  // SIGKILL cannot be caught, so this returns promptly
  status_ = status;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace contract
