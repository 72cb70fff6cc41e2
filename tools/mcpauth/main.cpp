// mcpauth: the command-line entry point.
#include "cli.h"
#include "commands.h"

#include "mcpauth/config/config.h"
#include "mcpauth/core/log.h"

#include <mcpauth/plugin_abi.h>

#include <iostream>

int main(int argc, char** argv) {
  using namespace mcpauth;
  try {
    cli::Invocation invocation = cli::parse(argc, argv);
    if (invocation.version) {
      std::cout << "mcpauth " << MCPAUTH_VERSION << " (plugin ABI " << MCPAUTH_ABI_MAJOR << "." << MCPAUTH_ABI_MINOR
                << ")\n";
      return 0;
    }
    if (invocation.help || invocation.words.empty()) {
      std::cout << cli::kUsage;
      return invocation.help ? 0 : 2;
    }
    core::set_log_level(core::parse_log_level(invocation.options.log_level.value_or("info")));
    const std::string& command = invocation.words[0];
    if (invocation.listen && command != "serve") throw cli::UsageError("--listen applies only to 'serve'");
    if (invocation.user && command != "token") throw cli::UsageError("--user applies only to 'token'");
    if (command == "plugins") return cli::run_plugins(invocation);
    if (command == "config") return cli::run_config(invocation);
    if (command == "keygen") return cli::run_keygen(invocation);
    if (command == "storage") return cli::run_storage(invocation);
    if (command == "login") return cli::run_login(invocation);
    if (command == "logout") return cli::run_logout(invocation);
    if (command == "status") return cli::run_status(invocation);
    if (command == "serve") return cli::run_serve(invocation);
    if (command == "token") return cli::run_token(invocation);
    if (command == "call") return cli::run_call(invocation);
    if (command == "tools") return cli::run_tools(invocation);
    if (command == "proxy") return cli::run_proxy(invocation);
    throw cli::UsageError("unknown command '" + command + "'");
  } catch (const cli::UsageError& e) {
    std::cerr << "mcpauth: " << e.what() << " (see 'mcpauth --help')\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "mcpauth: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mcpauth: " << e.what() << "\n";
    return 1;
  }
}
