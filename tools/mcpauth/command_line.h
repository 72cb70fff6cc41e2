// The entry shared by the `mcpauth` executable and its network module (network_module.h): parse
// the command line, answer --help and --version, set the log level, refuse options that belong to
// another command, run the command, and turn errors into a message and an exit code.
#pragma once

#include "cli.h"

namespace mcpauth::cli {

// Runs one command (invocation.words[0] names it); argc/argv are the whole command line, for
// handing it on. Throws UsageError for an unknown command.
using CommandRunner = int (*)(const Invocation& invocation, int argc, char** argv);

// The exit code: the command's, 2 for a usage error, 1 for any other failure.
int run_command_line(int argc, char** argv, CommandRunner run);

}  // namespace mcpauth::cli
