// Requests to mcpauth serve (core/api), handled by its real request handler with the shipped
// manual_jwt and memory plugins, without sockets: the fuzz input is one request
// ("METHOD TARGET\nName: value\n...\n\nbody", see memory_exchange.h), most usefully the JSON bodies
// of the admin JWT upload and the user token upload. Bad input must get a 4xx, never a 500.
// The gateway (/mcp/...) is left out: it forwards to the network.
#include "memory_exchange.h"

#include "api_context.h"
#include "request_handler.h"

#include "mcpauth/core/log.h"

#include <cstdlib>
#include <memory>

using namespace mcpauth;

namespace {

constexpr const char* kConfig = R"({
  "mcpauth": {
    "dev_user": "root@example.com",
    "user_groups": {"root@example.com": ["admin"], "alice@example.com": ["dev"]},
    "default_storage": {"plugin": "memory"}
  },
  "jwt-server": {"url": "https://tools.example.com/mcp", "auth_type": "jwt"},
  "team": {"url": "https://team.example.com/mcp", "auth_type": "bearer", "groups": ["dev"]},
  "keys": {"url": "https://keys.example.com/mcp", "auth_type": "api_key"}
})";

struct Server {
  core::PluginRegistry registry;
  config::Config config;
  std::unique_ptr<api::ApiContext> api;
  std::atomic<int> in_flight{0};
  std::unique_ptr<api::RequestHandlerFactory> handlers;
};

Server& server() {
  static Server* server = [] {
    core::set_log_level(core::LogLevel::error);
    auto* s = new Server;
    s->registry.scan({MCPAUTH_FUZZ_PLUGIN_DIR});
    s->config = config::parse_config_text(kConfig, "fuzz.json", config::Format::Json, {});
    const config::Settings& settings = s->config.settings;
    s->api.reset(new api::ApiContext{settings, "http://127.0.0.1:8000", false,
                                     api::ServerBindings(s->config.servers, s->registry), api::GroupDirectory(settings),
                                     api::PendingAuthorizations(std::chrono::seconds(600), 1000, 10), api::Metrics()});
    s->handlers = std::make_unique<api::RequestHandlerFactory>(*s->api, s->in_flight);
    return s;
  }();
  return *server;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Server& s = server();
  fuzz::MemoryRequest request;
  if (!request.parse({reinterpret_cast<const char*>(data), size}) || request.getURI().starts_with("/mcp/")) return 0;
  std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(s.handlers->createRequestHandler(request));
  handler->handleRequest(request, request.response());
  if (request.response().getStatus() >= 500) std::abort();  // the log line above says what failed
  return 0;
}
