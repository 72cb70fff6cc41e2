// What a login does, from the command-line options and the host-read keys of the server's auth
// config (grant, callback_port, callback_host, callback_timeout_s).
#pragma once

#include "cli.h"

#include "mcpauth/config/config.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace mcpauth::cli {

struct LoginSettings {
  bool client_credentials = false;        // "grant": "client_credentials": no browser at all
  std::optional<uint16_t> callback_port;  // unset: the port of the last login, else any free one
  std::string callback_host = "127.0.0.1";
  std::chrono::seconds timeout{300};
};

// Options win over the auth config. Throws std::runtime_error naming the server and the key when
// a key has the wrong type or is out of range.
LoginSettings login_settings(const config::ServerConfig& server, const LoginOptions& options);

}  // namespace mcpauth::cli
