#include "adhoc_server.h"

#include "mcpauth/core/log.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace mcpauth::cli {
namespace {

constexpr size_t kMaxServerName = 64;  // the configuration's server-name rule

std::string host_of(const std::string& url) {
  const std::string problem = "--url needs an http:// or https:// URL with a host";
  try {
    Poco::URI uri(url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) throw UsageError(problem);
    return uri.getHost();
  } catch (const Poco::SyntaxException&) {
    throw UsageError(problem);
  }
}

Poco::JSON::Array::Ptr scope_list(const std::string& scopes) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  std::istringstream words(scopes);
  for (std::string scope; words >> scope;) list->add(scope);
  return list;
}

std::optional<std::string> client_secret(const AdhocServerOptions& options) {
  if (options.client_secret) {
    core::log(core::LogLevel::warn, "login",
              "--client-secret is visible to other users of this machine (in the process list); "
              "prefer the MCPAUTH_CLIENT_SECRET environment variable");
    return options.client_secret;
  }
  const char* from_environment = std::getenv("MCPAUTH_CLIENT_SECRET");
  if (from_environment != nullptr && *from_environment != '\0') return std::string(from_environment);
  return std::nullopt;
}

config::PluginChoice oauth21_choice(const AdhocServerOptions& options, std::optional<uint16_t> callback_port) {
  config::PluginChoice auth;
  auth.plugin = "oauth21";
  auto set_if = [&](const char* key, const std::optional<std::string>& value) {
    if (value) auth.config->set(key, *value);
  };
  if (options.scopes) auth.config->set("scopes", scope_list(*options.scopes));
  set_if("client_id", options.client_id);
  set_if("client_secret", client_secret(options));
  set_if("client_metadata_url", options.client_metadata_url);
  set_if("grant", options.grant);
  set_if("private_key_file", options.private_key_file);
  if (callback_port) auth.config->set("callback_port", static_cast<int>(*callback_port));
  return auth;
}

config::PluginChoice default_storage(const config::Settings* settings) {
  if (settings != nullptr && settings->default_storage) return *settings->default_storage;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0')
    throw std::runtime_error(
        "cannot place the token store of --url: HOME is not set (set it, or configure "
        "mcpauth.default_storage)");
  config::PluginChoice storage;
  storage.plugin = "sqlite";
  storage.config->set("path", std::string(home) + "/.local/share/mcpauth/tokens.db");
  return storage;
}

}  // namespace

std::string adhoc_server_name(const std::string& url) {
  std::string host = host_of(url);
  for (char& c : host)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') c = '-';
  Poco::SHA2Engine sha256(Poco::SHA2Engine::SHA_256);
  sha256.update(url);
  const std::string digest = Poco::DigestEngine::digestToHex(sha256.digest()).substr(0, 8);
  const std::string prefix = "adhoc-", suffix = "-" + digest;
  return prefix + host.substr(0, kMaxServerName - prefix.size() - suffix.size()) + suffix;
}

config::ServerConfig adhoc_server(const AdhocServerOptions& options, std::optional<uint16_t> callback_port,
                                  const config::Settings* settings) {
  config::ServerConfig server;
  server.url = *options.url;
  server.name = adhoc_server_name(server.url);
  server.transport = "http";
  server.auth = oauth21_choice(options, callback_port);
  server.storage = default_storage(settings);
  server.source_file = "--url";  // where binding errors say the server came from
  return server;
}

}  // namespace mcpauth::cli
