#pragma once

#include "cli.h"

namespace mcpauth::cli {

// Each returns the process exit code.
int run_plugins(const Invocation& invocation);
int run_config(const Invocation& invocation);
int run_keygen(const Invocation& invocation);
int run_storage(const Invocation& invocation);
int run_login(const Invocation& invocation);
int run_logout(const Invocation& invocation);
int run_status(const Invocation& invocation);
int run_serve(const Invocation& invocation);
int run_token(const Invocation& invocation);
int run_call(const Invocation& invocation);
int run_tools(const Invocation& invocation);
int run_proxy(const Invocation& invocation);

}  // namespace mcpauth::cli
