// The CLI's network module, mcpauth_network.so (in <executable dir>/../lib/mcpauth, like the
// plugins' directory): the commands that speak HTTP themselves (login, serve, call, tools, proxy)
// and the host's HTTP client, with Poco Net/NetSSL, the HTTP API and the MCP client. The
// executable opens it only when one of those commands runs or a plugin makes its first HTTP
// request: a `mcpauth token` with a valid cached token never loads it, and starts that much faster
// (tests/bench/token_bench.mjs). Both sides are built together; the functions below are its
// whole interface.
#pragma once

#include <mcpauth/plugin.hpp>

#include <string>

// Exported by the module. The first runs the command line as `mcpauth` would (its exit code); the
// second is core::http_fetch, its PluginError turned into a status and a message.
extern "C" {
int mcpauth_network_main(int argc, char** argv);
int32_t mcpauth_network_http_fetch(const mcpauth::sdk::HttpRequest* request, mcpauth::sdk::HttpResponse* response,
                                   std::string* error_message);
}

namespace mcpauth::cli {

class NetworkModule {
 public:
  int main(int argc, char** argv) const { return main_(argc, argv); }
  sdk::HttpResponse http_fetch(const sdk::HttpRequest& request) const;

 private:
  friend const NetworkModule& network_module();
  NetworkModule();
  decltype(&mcpauth_network_main) main_ = nullptr;
  decltype(&mcpauth_network_http_fetch) http_fetch_ = nullptr;
};

// Opened on first use (and kept); throws std::runtime_error naming the file when it cannot be.
const NetworkModule& network_module();

}  // namespace mcpauth::cli
