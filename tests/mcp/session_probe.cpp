// mcp_session_probe: drives the MCP client core against a real server where the CLI cannot, for
// tests/e2e/mcp_client.test.mjs. The server must be signed in to already (mcpauth login).
//
//   mcp_session_probe --config FILE --plugin-dir DIR --server NAME --scenario expire|listen
//
// expire: initialize, tools/list, then the session is deleted behind the client's back (a DELETE
//         with its id, as a server restart or a session timeout would forget it); tools/list again
//         must start a new session by itself.
// listen: a GET stream is read on a second thread while the first one makes three tools/call
//         requests (count, 2 notifications each); close() must then end the stream.
// Prints one JSON line of what happened; exit code 0 when every step succeeded, 1 otherwise.
#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_registry.h"
#include "mcpauth/core/server_binding.h"
#include "mcpauth/mcp/client_session.h"
#include "mcpauth/mcp/streamable_http.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace mcpauth;
using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> parse(int argc, char** argv) {
  std::map<std::string, std::string> options;
  for (int i = 1; i + 1 < argc; i += 2) options[argv[i]] = argv[i + 1];
  for (const char* required : {"--config", "--plugin-dir", "--server", "--scenario"})
    if (!options.count(required))
      throw std::invalid_argument(
          "usage: mcp_session_probe --config FILE --plugin-dir DIR --server NAME --scenario expire|listen");
  return options;
}

// What a server restart or a session timeout does: the server forgets the session.
void forget_session_at_server(const std::string& url, const mcp::Authentication& authentication,
                              const std::string& session_id) {
  mcp::UpstreamRequest request;
  request.method = "DELETE";
  request.url = url;
  request.headers = {{"Mcp-Session-Id", session_id}};
  const int status = mcp::send_authenticated(request, authentication)->status();
  if (status != 200)
    throw std::runtime_error("deleting the session behind the client's back: HTTP " + std::to_string(status));
}

Poco::JSON::Object::Ptr count_call(int n) {
  Poco::JSON::Object::Ptr arguments = new Poco::JSON::Object;
  arguments->set("n", n);
  arguments->set("delayMs", 20);
  Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
  params->set("name", "count");
  params->set("arguments", arguments);
  return params;
}

Poco::JSON::Object expire(const std::string& url, const mcp::Authentication& authentication) {
  mcp::StreamableHttpTransport transport(url, authentication);
  mcp::ClientSession session(transport, "probe");
  session.initialize();
  session.request("tools/list");
  const std::optional<std::string> first = transport.session_id();
  if (!first) throw std::runtime_error("the server gave no session id");
  forget_session_at_server(url, authentication, *first);
  const Poco::JSON::Object::Ptr tools = session.request("tools/list");
  Poco::JSON::Object out;
  out.set("tools", static_cast<int>(tools->getArray("tools")->size()));
  out.set("new_session", transport.session_id().has_value() && transport.session_id() != first);
  return out;
}

Poco::JSON::Object listen(const std::string& url, const mcp::Authentication& authentication) {
  mcp::StreamableHttpTransport transport(url, authentication);
  std::atomic<int> notifications = 0;
  mcp::ClientSession session(transport, "probe", [&](const Poco::JSON::Object::Ptr&) { ++notifications; });
  session.initialize();
  std::atomic<int> listened_messages = 0;
  std::future<bool> listening = std::async(std::launch::async, [&] {
    return transport.listen([&](const Poco::JSON::Object::Ptr&) { ++listened_messages; });
  });
  int calls = 0;
  for (int i = 0; i < 3; ++i) {
    const Poco::JSON::Object::Ptr result = session.request("tools/call", count_call(2));
    if (result->getArray("content")->getObject(0)->getValue<std::string>("text") == "2") ++calls;
  }
  const auto closing = Clock::now();
  session.close();
  if (listening.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    throw std::runtime_error("listen() still running 10 s after close()");
  Poco::JSON::Object out;
  out.set("listened", listening.get());
  out.set("listen_ended_ms", std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - closing).count());
  out.set("calls", calls);
  out.set("notifications", notifications.load());
  out.set("stream_messages", listened_messages.load());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  try {
    config::LoadOptions load;
    load.config_file = options["--config"];
    const config::Config loaded = config::load_config(load);
    core::PluginRegistry registry;
    registry.scan({std::filesystem::path(options["--plugin-dir"])});
    const config::ServerConfig* server = config::server_named(loaded, options["--server"]);
    if (!server) throw std::runtime_error("no server named '" + options["--server"] + "'");
    core::ServerBinding binding(registry, *server);
    const mcp::Authentication authentication = mcp::plugin_authentication(
        binding.auth(), "", [] { throw std::runtime_error("not signed in: run mcpauth login"); });

    const std::string& scenario = options["--scenario"];
    Poco::JSON::Object out = scenario == "expire"   ? expire(server->url, authentication)
                             : scenario == "listen" ? listen(server->url, authentication)
                                                    : throw std::invalid_argument("unknown scenario " + scenario);
    out.stringify(std::cout);
    std::cout << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mcp_session_probe: " << e.what() << "\n";
    return 1;
  }
}
