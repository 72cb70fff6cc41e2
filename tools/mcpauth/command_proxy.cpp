// `mcpauth proxy`: a stdio MCP server for a desktop client that only starts local servers; each
// message goes on to the remote server with this user's credentials (signing in when needed).
#include "commands.h"
#include "mcp_connection.h"

#include "mcpauth/mcp/stdio_bridge.h"

#include <csignal>
#include <iostream>

namespace mcpauth::cli {

int run_proxy(const Invocation& invocation) {
  const McpCommandLine line = split_mcp_command_line(invocation);
  if (!line.arguments.empty()) throw UsageError("'proxy' takes no arguments after the server");
  // A client that goes away mid-answer must not kill the proxy before it ends the session.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  ServerLink link(line.target);
  mcp::StdioBridge bridge(link.transport(), std::cout);
  bridge.run(std::cin);
  return 0;
}

}  // namespace mcpauth::cli
