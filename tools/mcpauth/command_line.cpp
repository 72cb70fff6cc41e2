#include "command_line.h"

#include "mcpauth/core/log.h"

#include <mcpauth/plugin_abi.h>

#include <iostream>

namespace mcpauth::cli {

int run_command_line(int argc, char** argv, CommandRunner run) {
  try {
    Invocation invocation = parse(argc, argv);
    if (invocation.version) {
      std::cout << "mcpauth " << MCPAUTH_VERSION << " (plugin ABI " << MCPAUTH_ABI_MAJOR << "." << MCPAUTH_ABI_MINOR
                << ")\n";
      return 0;
    }
    if (invocation.help || invocation.words.empty()) {
      std::cout << kUsage;
      return invocation.help ? 0 : 2;
    }
    core::set_log_level(core::parse_log_level(invocation.options.log_level.value_or("info")));
    const std::string& command = invocation.words[0];
    if (invocation.listen && command != "serve") throw UsageError("--listen applies only to 'serve'");
    if (invocation.user && command != "token") throw UsageError("--user applies only to 'token'");
    return run(invocation, argc, argv);
  } catch (const UsageError& e) {
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

}  // namespace mcpauth::cli
