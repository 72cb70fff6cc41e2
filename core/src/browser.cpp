#include "mcpauth/core/browser.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace mcpauth::core {

void open_in_browser(const std::string& url) {
  const char* configured = std::getenv("BROWSER");
  std::string program = configured != nullptr && *configured != '\0' ? configured : "xdg-open";
  std::string argument = url;
  char* argv[] = {program.data(), argument.data(), nullptr};
  pid_t pid = 0;
  int error = posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv, environ);
  if (error != 0)
    throw std::runtime_error("cannot start browser '" + program + "': " + std::strerror(error) +
                             " (set $BROWSER, or open the URL yourself)");
  // Reap it in the background so it never lingers as a zombie.
  std::thread([pid] {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }).detach();
}

}  // namespace mcpauth::core
