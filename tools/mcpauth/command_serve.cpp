// `mcpauth serve`: the HTTP API (core/api) until SIGINT or SIGTERM.
#include "commands.h"
#include "host_setup.h"

#include "mcpauth/api/api_server.h"
#include "mcpauth/core/log.h"

#include <csignal>
#include <cstring>

#include <pthread.h>

namespace mcpauth::cli {

int run_serve(const Invocation& invocation) {
  if (invocation.words.size() > 1) throw UsageError("'serve' takes no arguments");
  // Blocked before any thread starts, so every thread inherits the mask and only sigwait below
  // receives them: shutdown then runs on this thread, not inside a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  config::Config loaded = load_configuration(invocation.options);
  if (invocation.listen) loaded.settings.listen = *invocation.listen;
  core::PluginRegistry registry;
  registry.scan(plugin_dirs(invocation.options, &loaded.settings));
  for (const auto& rejection : registry.rejections())
    core::log(core::LogLevel::warn, "plugins", rejection.path.string() + ": " + rejection.reason);

  api::ApiServer server(loaded, registry);
  server.start();
  int received = 0;
  sigwait(&stop_signals, &received);
  core::log(core::LogLevel::info, "serve", std::string("stopping (SIG") + sigabbrev_np(received) + ")");
  server.stop();
  core::log(core::LogLevel::info, "serve", "stopped");
  return 0;
}

}  // namespace mcpauth::cli
