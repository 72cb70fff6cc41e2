#include "mcpauth/api/api_server.h"

#include "api_context.h"
#include "request_handler.h"
#include "tls_context.h"

#include "mcpauth/core/log.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace mcpauth::api {
namespace {

constexpr int kListenBacklog = 64;
// Idle keep-alive connections hold a thread each; they are closed after this.
constexpr int64_t kKeepAliveIdleSeconds = 5;
// Browser sign-ins in progress: how long one may take, how many are kept, how many per user.
constexpr auto kPendingTtl = std::chrono::seconds(600);
constexpr size_t kMaxPending = 1000;
constexpr size_t kMaxPendingPerUser = 10;

void check_mode(const config::Settings& settings) {
  if (settings.mode != "production") return;
  if (!settings.proxy_secret)
    throw std::runtime_error("mode 'production' needs mcpauth.proxy_secret: without it, anyone who can reach " +
                             settings.listen + " can claim any identity with the " + settings.identity_header +
                             " header");
  if (settings.dev_user)
    throw std::runtime_error("mode 'production' cannot have mcpauth.dev_user: every request without the " +
                             settings.identity_header + " header would act as '" + *settings.dev_user + "'");
}

Poco::Net::SocketAddress listen_address(const std::string& listen) {
  try {
    return Poco::Net::SocketAddress(listen);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("listen address '" + listen + "' is not host:port (" + e.displayText() + ")");
  }
}

Poco::Net::ServerSocket listen_socket(const Poco::Net::SocketAddress& address,
                                      const std::optional<config::TlsFiles>& tls) {
  try {
    Poco::Net::ServerSocket socket =
        tls ? Poco::Net::SecureServerSocket(server_tls_context(*tls)) : Poco::Net::ServerSocket();
    // SO_REUSEADDR (restart without waiting for TIME_WAIT), but not SO_REUSEPORT, which Poco's
    // constructors also set: a second server on the same port must fail, not share it.
    socket.bind(address, true, false);
    socket.listen(kListenBacklog);
    return socket;
  } catch (const Poco::Exception& e) {
    const std::string what =
        tls ? "cannot listen with TLS (mcpauth.tls cert_file and key_file: PEM, key unencrypted) on "
            : "cannot listen on ";
    throw std::runtime_error(what + address.toString() + ": " + e.displayText());
  }
}

Poco::Net::HTTPServerParams::Ptr server_params(const config::ServeLimits& limits) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(static_cast<int>(limits.max_connections));
  params->setMaxQueued(static_cast<int>(limits.max_connections));
  params->setTimeout(Poco::Timespan(limits.timeout_s, 0));  // each read and write of a connection
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(std::min(limits.timeout_s, kKeepAliveIdleSeconds), 0));
  params->setMaxKeepAliveRequests(1000);
  return params;
}

// http(s)://<host>:<port> as listened on; an IPv6 host goes in brackets.
std::string base_url_of(const Poco::Net::SocketAddress& bound, bool tls) {
  const std::string host = bound.host().toString();
  const bool ipv6 = bound.family() == Poco::Net::SocketAddress::IPv6;
  return std::string(tls ? "https://" : "http://") + (ipv6 ? "[" + host + "]" : host) + ":" +
         std::to_string(bound.port());
}

}  // namespace

struct ApiServer::Parts {
  Parts(const config::Config& config, const core::PluginRegistry& registry, Poco::Net::ServerSocket listening)
      : pool(1, static_cast<int>(config.settings.limits.max_connections)),
        socket(std::move(listening)),
        api{config.settings,
            config.settings.public_base_url.value_or(base_url_of(socket.address(), config.settings.tls.has_value())),
            config.settings.tls.has_value(),
            ServerBindings(config.servers, registry),
            GroupDirectory(config.settings),
            PendingAuthorizations(kPendingTtl, kMaxPending, kMaxPendingPerUser),
            Metrics()},
        server(new RequestHandlerFactory(api, in_flight), pool, socket, server_params(config.settings.limits)) {}

  Poco::ThreadPool pool;
  Poco::Net::ServerSocket socket;
  ApiContext api;
  std::atomic<int> in_flight{0};
  Poco::Net::HTTPServer server;  // last: destroyed first
  bool stopped = false;
};

ApiServer::ApiServer(const config::Config& config, const core::PluginRegistry& registry) {
  check_mode(config.settings);
  Poco::Net::ServerSocket socket = listen_socket(listen_address(config.settings.listen), config.settings.tls);
  parts_ = std::make_unique<Parts>(config, registry, std::move(socket));
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start() {
  parts_->server.start();
  const config::Settings& settings = parts_->api.settings;
  core::log(core::LogLevel::info, "serve",
            "listening on " + base_url_of(parts_->socket.address(), parts_->api.tls) + " (public base URL " +
                parts_->api.public_base_url + ", mode " + settings.mode + ")");
  if (settings.dev_user)
    core::log(core::LogLevel::warn, "serve",
              "development mode: requests without the " + settings.identity_header + " header act as user '" +
                  *settings.dev_user + "' (mcpauth.dev_user); never expose this server");
  if (!settings.public_base_url && parts_->socket.address().host().isWildcard())
    core::log(core::LogLevel::warn, "serve",
              "mcpauth.public_base_url is not set and the server listens on every address: browsers cannot come "
              "back from OAuth sign-ins to " +
                  parts_->api.public_base_url + "; set it to the address users reach this server at");
}

void ApiServer::stop() {
  if (parts_->stopped) return;
  parts_->stopped = true;
  // First: stopAll(false) waits for every request in progress (Poco's connection holds its lock
  // while handling one), and a gateway request waiting on a quiet MCP server would hold it up to
  // the 300 s read timeout.
  parts_->api.upstream_answers.close_all();
  parts_->server.stopAll(false);  // no new connections; open ones close after their current request
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(parts_->api.settings.limits.timeout_s);
  while (parts_->in_flight > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  parts_->server.stopAll(true);  // idle keep-alive connections, and requests that overran
  parts_->pool.joinAll();        // no handler runs on once the bindings go
}

uint16_t ApiServer::port() const { return parts_->socket.address().port(); }

const std::string& ApiServer::public_base_url() const { return parts_->api.public_base_url; }

}  // namespace mcpauth::api
