// Helpers for the HTTP API tests: a real ApiServer on 127.0.0.1 (port 0) with the shipped plugins
// and the web_flow_test plugin, HTTP requests with Poco's client (or raw bytes for requests no
// client would send), and JWTs to upload.
#pragma once

#include "mcpauth/api/api_server.h"
#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_registry.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcpauth::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  int status = 0;
  HeaderList headers;
  std::string body;

  std::string header(const std::string& name) const;  // the first one; "" when absent
  Poco::JSON::Object::Ptr json() const;               // null when the body is not a JSON object
  std::string detail() const;                         // the "detail" of an error body, "" when none
};

// One request over a new connection with Poco's HTTP client. A body is sent with content_type.
HttpReply http_request(uint16_t port, const std::string& method, const std::string& target,
                       const HeaderList& headers = {}, const std::string& body = "",
                       const std::string& content_type = "application/json");

// Sends the bytes as they are and reads the answer until the server closes the connection (so
// send "Connection: close"). status 0 when no answer came.
HttpReply raw_request(uint16_t port, const std::string& bytes);

// A configuration text (JSON), parsed as `mcpauth serve` reads a file.
config::Config parse_config(const std::string& json);

// The servers most tests use. settings: more members of the "mcpauth" object (a repeated key wins).
//   jwt-server  manual_jwt (jwt), no groups        team    manual_jwt (bearer), groups [dev]
//   shared      manual_jwt (bearer), no groups     open    none
//   web         web_flow_test                      oauth   oauth21, its server unreachable
//   off         disabled                           broken  names a plugin that does not exist
// Users: root@example.com in admin, alice@example.com in dev, bob@example.com in none.
std::string standard_config(const std::string& settings = "");

// The shipped plugins and the test plugins, loaded.
const core::PluginRegistry& test_plugins();

class ApiHarness {
 public:
  // Starts a server for the configuration, on 127.0.0.1 at a port the system picks.
  explicit ApiHarness(const std::string& config_json);
  explicit ApiHarness(const config::Config& config);

  uint16_t port() const { return server_->port(); }
  api::ApiServer& server() { return *server_; }

  // As `user` ("" = no identity header), with the extra headers.
  HttpReply get(const std::string& target, const std::string& user = "", HeaderList headers = {}) const;
  HttpReply del(const std::string& target, const std::string& user = "", HeaderList headers = {}) const;
  HttpReply post_json(const std::string& target, const std::string& user, const std::string& body,
                      HeaderList headers = {}) const;

 private:
  static HeaderList with_user(const std::string& user, HeaderList headers);
  std::unique_ptr<api::ApiServer> server_;
};

int64_t now_s();

// An unsigned-looking JWT (alg HS256, a dummy signature) with these claims; exp omitted when unset.
std::string make_jwt(std::optional<int64_t> exp, const std::string& subject = "service-account");

}  // namespace mcpauth::test
