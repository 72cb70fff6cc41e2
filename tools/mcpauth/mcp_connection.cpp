#include "mcp_connection.h"

#include "loopback_login.h"
#include "terminal_text.h"

#include "mcpauth/mcp/upstream.h"

#include <Poco/JSON/Stringifier.h>

#include <iostream>
#include <sstream>

namespace mcpauth::cli {
namespace {

// The server's log messages (notifications/message), e.g. the progress of a long tool call.
void print_log_message(const Poco::JSON::Object::Ptr& notification) {
  if (notification->getValue<std::string>("method") != "notifications/message") return;
  const Poco::JSON::Object::Ptr params = notification->getObject("params");
  if (!params) return;
  const auto text_of = [&](const std::string& name) {
    if (!params->has(name)) return std::string();
    const Poco::Dynamic::Var value = params->get(name);
    if (value.isString()) return value.toString();
    std::ostringstream json;
    Poco::JSON::Stringifier::stringify(value, json);
    return json.str();
  };
  const std::string level = text_of("level");
  const std::string logger = text_of("logger");
  std::cerr << "[" << terminal_safe(level.empty() ? "info" : level) << "] "
            << (logger.empty() ? "" : terminal_safe(logger) + ": ") << terminal_safe(text_of("data")) << std::endl;
}

// The sign-in of `login`, run when the auth plugin has no usable credentials.
std::function<void()> sign_in(core::ServerBinding& binding, const LoginSettings& settings, bool no_browser) {
  return [&binding, &settings, no_browser] {
    if (settings.client_credentials) {
      binding.auth().refresh("");
      return;
    }
    loopback_login(binding, settings, no_browser, std::cerr);  // stdout is for the result
    std::cerr << "Signed in to '" << binding.name() << "'" << std::endl;
  };
}

}  // namespace

McpCommandLine split_mcp_command_line(const Invocation& invocation) {
  McpCommandLine line{invocation, {}};
  const std::size_t server_words = invocation.adhoc.url ? 0 : 1;
  if (invocation.words.size() < 1 + server_words)
    throw UsageError("'" + invocation.words.at(0) + "' needs a server name or --url URL");
  line.target.words.assign(invocation.words.begin(), invocation.words.begin() + 1 + server_words);
  line.arguments.assign(invocation.words.begin() + 1 + server_words, invocation.words.end());
  return line;
}

ServerLink::ServerLink(const Invocation& target)
    : targets_(target_servers(target, false)),
      settings_(login_settings(targets_.servers.front(), target.login)),
      binding_(targets_.registry, targets_.servers.front()) {
  const config::ServerConfig& server = targets_.servers.front();
  if (server.transport != "http" && server.transport != "sse")
    throw std::runtime_error("server '" + server.name + "' uses transport '" + server.transport +
                             "'; mcpauth speaks to MCP servers over HTTP only (transport http or sse)");
  transport_ = mcp::make_transport(
      server.transport, server.url,
      mcp::plugin_authentication(binding_.auth(), "", sign_in(binding_, settings_, target.login.no_browser)));
}

McpConnection::McpConnection(const Invocation& target)
    : link_(target),
      session_(std::make_unique<mcp::ClientSession>(link_.transport(), MCPAUTH_VERSION, print_log_message)) {
  try {
    session_->initialize();
  } catch (const mcp::ProtocolError& e) {
    throw std::runtime_error("server '" + server_name() + "': " + e.what());
  }
}

Poco::JSON::Object::Ptr McpConnection::request(const std::string& method, Poco::JSON::Object::Ptr params) {
  try {
    return session_->request(method, params);
  } catch (const mcp::ProtocolError& e) {
    throw std::runtime_error("server '" + server_name() + "': " + e.what());
  }
}

}  // namespace mcpauth::cli
