// What `call`, `tools` and `proxy` share: the server named on the command line (a configured one,
// or --url), a transport to it (and for call and tools an initialized MCP session), and a sign-in
// whenever its auth plugin needs one.
#pragma once

#include "cli.h"
#include "login_settings.h"
#include "target_servers.h"

#include "mcpauth/core/server_binding.h"
#include "mcpauth/mcp/client_session.h"
#include "mcpauth/mcp/transport.h"

#include <memory>
#include <string>
#include <vector>

namespace mcpauth::cli {

// The words of `COMMAND SERVER|--url URL ARGUMENTS...`: an invocation naming only the server (for
// target_servers) and the arguments after it. Throws UsageError when no server is named.
struct McpCommandLine {
  Invocation target;
  std::vector<std::string> arguments;
};
McpCommandLine split_mcp_command_line(const Invocation& invocation);

// The server named on the command line, bound to its plugins, and a transport to it whose
// requests carry the credentials of the `login` user: a server without credentials, or one that
// refuses them, gets a sign-in as `login` would do it (browser or client credentials; the URL goes
// to stderr, as stdout is the command's result). What `proxy` needs, and `call` and `tools` too.
class ServerLink {
 public:
  // Throws what target_servers and the binding throw, and std::runtime_error for a server whose
  // transport is not spoken over HTTP.
  explicit ServerLink(const Invocation& target);

  mcp::Transport& transport() { return *transport_; }
  const std::string& server_name() const { return binding_.name(); }

 private:
  TargetServers targets_;
  LoginSettings settings_;
  core::ServerBinding binding_;
  std::unique_ptr<mcp::Transport> transport_;
};

class McpConnection {
 public:
  // A ServerLink with an initialized session. The server's notifications/message go to stderr.
  // Throws what went wrong. The session ends at the server when the connection is destroyed.
  explicit McpConnection(const Invocation& target);

  // session().request(), with the server's name in what a protocol error says.
  Poco::JSON::Object::Ptr request(const std::string& method, Poco::JSON::Object::Ptr params = nullptr);
  const std::string& server_name() const { return link_.server_name(); }

 private:
  ServerLink link_;
  std::unique_ptr<mcp::ClientSession> session_;
};

}  // namespace mcpauth::cli
