// mcpauth: the command-line entry point. The commands that need no network of their own run here;
// login, serve, call, tools and proxy run in the network module (network_module.h), so that the
// others, `token` first, start without loading Poco's networking libraries.
#include "command_line.h"
#include "commands.h"
#include "network_module.h"

namespace {

using namespace mcpauth::cli;

int run_command(const Invocation& invocation, int argc, char** argv) {
  const std::string& command = invocation.words[0];
  if (command == "token") return run_token(invocation);
  if (command == "status") return run_status(invocation);
  if (command == "plugins") return run_plugins(invocation);
  if (command == "config") return run_config(invocation);
  if (command == "keygen") return run_keygen(invocation);
  if (command == "storage") return run_storage(invocation);
  if (command == "logout") return run_logout(invocation);
  // The module's own dispatch is the one list of its commands, and says when there is no such command.
  return network_module().main(argc, argv);
}

}  // namespace

int main(int argc, char** argv) { return run_command_line(argc, argv, run_command); }
