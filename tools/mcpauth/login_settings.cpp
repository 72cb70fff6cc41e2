#include "login_settings.h"

#include <Poco/JSON/Object.h>

#include <stdexcept>

namespace mcpauth::cli {
namespace {

std::runtime_error bad_key(const config::ServerConfig& server, const std::string& key, const std::string& expected) {
  return std::runtime_error(server.source_file + ": server '" + server.name + "': auth config '" + key + "' must be " +
                            expected);
}

std::optional<int64_t> integer_key(const config::ServerConfig& server, const std::string& key, int64_t min,
                                   int64_t max) {
  if (!server.auth.config->has(key)) return std::nullopt;
  const std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  Poco::Dynamic::Var value = server.auth.config->get(key);
  if (!value.isInteger()) throw bad_key(server, key, expected);
  int64_t number = value.convert<int64_t>();
  if (number < min || number > max) throw bad_key(server, key, expected);
  return number;
}

std::optional<std::string> text_key(const config::ServerConfig& server, const std::string& key) {
  if (!server.auth.config->has(key)) return std::nullopt;
  Poco::Dynamic::Var value = server.auth.config->get(key);
  if (!value.isString()) throw bad_key(server, key, "a string");
  return value.convert<std::string>();
}

}  // namespace

LoginSettings login_settings(const config::ServerConfig& server, const LoginOptions& options) {
  LoginSettings settings;
  settings.client_credentials = text_key(server, "grant") == "client_credentials";
  settings.callback_port = options.callback_port;
  if (!settings.callback_port)
    if (std::optional<int64_t> port = integer_key(server, "callback_port", 1, 65535))
      settings.callback_port = static_cast<uint16_t>(*port);
  // Its value is checked where it is used (LoopbackCallbackServer::redirect_uri).
  if (std::optional<std::string> host = text_key(server, "callback_host")) settings.callback_host = *host;
  if (options.timeout)
    settings.timeout = *options.timeout;
  else if (std::optional<int64_t> seconds = integer_key(server, "callback_timeout_s", 1, 86400))
    settings.timeout = std::chrono::seconds(*seconds);
  return settings;
}

}  // namespace mcpauth::cli
