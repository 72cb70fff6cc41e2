// `mcpauth proxy`: a stdio MCP server for a desktop client that only starts local servers; each
// message goes on to the remote server with this user's credentials (signing in when needed).
#include "commands.h"
#include "mcp_connection.h"

#include "mcpauth/core/log.h"
#include "mcpauth/mcp/stdio_bridge.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <pthread.h>

namespace mcpauth::cli {
namespace {

// MCP's stdio shutdown: the client closes stdin, and sends SIGTERM when the proxy has not exited
// soon after (the TS SDK waits 2 s, which a call still in flight can outlast), then SIGKILL. On
// SIGTERM or SIGINT the session still ends at the server before the proxy exits, without waiting
// for stdin or for answers in flight. A signal during the sign-in, before there is a session, ends
// the proxy at once.
class StopSignalWatch {
 public:
  // Must be made before any other thread starts, so that every thread inherits the blocked signals
  // and only the watching thread receives them.
  StopSignalWatch() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // Detached, and the state shared: the thread waits for a signal until the process ends.
    std::thread([signals, state = state_] {
      int received = 0;
      sigwait(&signals, &received);
      std::lock_guard lock(state->mutex);  // held until the exit: the transport cannot go meanwhile
      if (state->finished) return;
      core::log(core::LogLevel::info, "proxy", std::string("stopping (SIG") + sigabbrev_np(received) + ")");
      if (!state->transport) std::_Exit(128 + received);
      state->transport->close();
      std::cout.flush();
      std::_Exit(0);
    }).detach();
  }

  // While it lives, a stop signal ends the session on the transport first; after it, a stop signal
  // changes nothing: the proxy is ending by itself (stdin ended), or has failed.
  class Watching;
  [[nodiscard]] Watching watch(mcp::Transport& transport);

 private:
  struct State {
    std::mutex mutex;
    mcp::Transport* transport = nullptr;
    bool finished = false;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

class StopSignalWatch::Watching {
 public:
  explicit Watching(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Watching(const Watching&) = delete;
  Watching& operator=(const Watching&) = delete;
  ~Watching() {
    std::lock_guard lock(state_->mutex);
    state_->finished = true;
  }

 private:
  std::shared_ptr<State> state_;
};

StopSignalWatch::Watching StopSignalWatch::watch(mcp::Transport& transport) {
  std::lock_guard lock(state_->mutex);
  state_->transport = &transport;
  return Watching(state_);
}

}  // namespace

int run_proxy(const Invocation& invocation) {
  const McpCommandLine line = split_mcp_command_line(invocation);
  if (!line.arguments.empty()) throw UsageError("'proxy' takes no arguments after the server");
  // A client that goes away mid-answer must not kill the proxy before it ends the session.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  StopSignalWatch stop_signals;
  ServerLink link(line.target);
  const StopSignalWatch::Watching watching = stop_signals.watch(link.transport());
  mcp::StdioBridge bridge(link.transport(), std::cout);  // ends the session when it goes, before `watching`
  bridge.run(std::cin);
  return 0;
}

}  // namespace mcpauth::cli
