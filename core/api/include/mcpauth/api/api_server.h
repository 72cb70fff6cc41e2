// The HTTP API of `mcpauth serve`: the admin JWT routes, the per-user token and OAuth routes, and
// health and metrics, for the servers of one configuration (see config/README.md, Settings).
#pragma once

#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_registry.h"

#include <cstdint>
#include <memory>
#include <string>

namespace mcpauth::api {

class ApiServer {
 public:
  // Binds every enabled server (one whose plugins fail is logged and answered as unavailable)
  // and listens on settings.listen (port 0: any free port), with TLS when settings.tls is set.
  // Throws std::runtime_error when it cannot serve: production mode without a proxy secret, an
  // address that is not host:port or cannot be listened on, unusable TLS files.
  ApiServer(const config::Config& config, const core::PluginRegistry& registry);
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;
  ~ApiServer();  // stop()

  void start();
  // Stops accepting connections, lets the requests in progress finish (up to limits.timeout_s),
  // then closes what is left. Idempotent.
  void stop();

  uint16_t port() const;
  // The address browsers reach it at: public_base_url, else http(s)://<host>:<port> listened on.
  const std::string& public_base_url() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace mcpauth::api
