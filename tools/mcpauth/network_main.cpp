// The network module's side of network_module.h: the commands that speak HTTP themselves, and
// the host's HTTP client for the executable.
#include "command_line.h"
#include "commands.h"
#include "network_module.h"

#include "mcpauth/core/http_client.h"
#include "mcpauth/core/plugin_error.h"

namespace {

using namespace mcpauth::cli;

int run_network_command(const Invocation& invocation, int, char**) {
  const std::string& command = invocation.words[0];
  if (command == "login") return run_login(invocation);
  if (command == "serve") return run_serve(invocation);
  if (command == "call") return run_call(invocation);
  if (command == "tools") return run_tools(invocation);
  if (command == "proxy") return run_proxy(invocation);
  throw UsageError("unknown command '" + command + "'");
}

}  // namespace

extern "C" int mcpauth_network_main(int argc, char** argv) {
  return run_command_line(argc, argv, run_network_command);
}

extern "C" int32_t mcpauth_network_http_fetch(const mcpauth::sdk::HttpRequest* request,
                                              mcpauth::sdk::HttpResponse* response, std::string* error_message) {
  try {
    *response = mcpauth::core::http_fetch(*request);
    return MCPAUTH_OK;
  } catch (const mcpauth::core::PluginError& e) {
    *error_message = e.what();
    return e.status();
  } catch (const std::exception& e) {
    *error_message = e.what();
    return MCPAUTH_ERR_INTERNAL;
  }
}
