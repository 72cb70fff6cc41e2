// The oauth21 plugin with a token supplied through store_token (a user's own, pasted on the web
// page), through the real host: configuration mapping, plugin registry, memory storage. The MCP
// server's URL is a socket that only listens, so any request the plugin made (discovery, refresh,
// revocation) would show as a connection waiting there: a supplied token needs none.
#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/core/plugin_registry.h"
#include "mcpauth/core/redact.h"
#include "mcpauth/core/server_binding.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using mcpauth::core::PluginError;

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Server "srv" with auth_type oauth and the memory storage, its URL on a local listening socket
// that never answers.
class OAuthServer {
 public:
  OAuthServer() : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    plugins_.scan({SHIPPED_PLUGIN_DIR});
    const std::string url = "http://127.0.0.1:" + std::to_string(listener_.address().port()) + "/mcp";
    const std::string config_json =
        R"({"srv": {"url": ")" + url + R"(", "auth_type": "oauth", "storage": {"plugin": "memory"}}})";
    const mcpauth::config::Config config =
        mcpauth::config::parse_config_text(config_json, "test.json", mcpauth::config::Format::Json, {});
    binding_ = std::make_unique<mcpauth::core::ServerBinding>(plugins_, config.servers.at(0));
  }

  const mcpauth::core::AuthInstance& auth() { return binding_->auth(); }
  std::vector<std::string> stored_keys() { return binding_->storage().list(""); }
  // Whether anything connected to the MCP server's address.
  bool contacted() { return listener_.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ); }

  std::string authorization(const std::string& user) {
    for (const auto& [name, value] : auth().get_credentials(user))
      if (name == "Authorization") return value;
    return "";
  }

  Poco::JSON::Object::Ptr status(const std::string& user) {
    return Poco::JSON::Parser().parse(auth().status(user)).extract<Poco::JSON::Object::Ptr>();
  }

 private:
  Poco::Net::ServerSocket listener_;
  mcpauth::core::PluginRegistry plugins_;  // the build's, as shipped
  std::unique_ptr<mcpauth::core::ServerBinding> binding_;
};

// A PluginError of that status whose message contains `part`, quotes no `secret`, and comes out
// of the host's redaction (logs, HTTP errors) whole.
class Refusal : public Catch::MatcherBase<PluginError> {
 public:
  Refusal(int32_t status, std::string part, std::string secret = "")
      : status_(status), part_(std::move(part)), secret_(std::move(secret)) {}

  bool match(const PluginError& error) const override {
    const std::string message = error.what();
    return error.status() == status_ && message.find(part_) != std::string::npos &&
           (secret_.empty() || message.find(secret_) == std::string::npos) && mcpauth::core::redact(message) == message;
  }
  std::string describe() const override {
    return "has status " + std::to_string(status_) + " and a message containing \"" + part_ +
           "\", without the token, unchanged by redaction";
  }

 private:
  int32_t status_;
  std::string part_, secret_;
};

std::string metadata_expiring_at(int64_t unix_s) { return R"({"expires_at": )" + std::to_string(unix_s) + "}"; }

}  // namespace

TEST_CASE("a supplied token is sent as a Bearer credential, with no request to any server") {
  OAuthServer server;
  const std::string token = "user-Token_0123.abc~def+ghi/jkl==";
  server.auth().store_token("alice@example.com", token, metadata_expiring_at(now_s() + 3600));
  CHECK(server.authorization("alice@example.com") == "Bearer " + token);

  // Each user has their own; another token replaces the held one at once.
  CHECK_THROWS_MATCHES(server.auth().get_credentials("bob@example.com"), PluginError,
                       Refusal(MCPAUTH_ERR_AUTH_REQUIRED, "not signed in to 'srv'"));
  server.auth().store_token("alice@example.com", "second-token-4567", "{}");
  CHECK(server.authorization("alice@example.com") == "Bearer second-token-4567");
  CHECK_FALSE(server.contacted());
}

TEST_CASE("status shows a supplied token's expiry, scopes and source, never the token") {
  OAuthServer server;
  const std::string token = "status-token-0123456789";
  const int64_t expires_at = now_s() + 1800;
  server.auth().store_token("alice@example.com", token,
                            R"({"expires_at": )" + std::to_string(expires_at) + R"(, "scopes": ["read", "write"]})");
  Poco::JSON::Object::Ptr status = server.status("alice@example.com");
  CHECK(status->getValue<bool>("authenticated"));
  CHECK(status->getValue<std::string>("source") == "user");
  CHECK(status->getValue<std::string>("token_type") == "Bearer");
  CHECK(status->getValue<int64_t>("expires_at") == expires_at);
  CHECK_FALSE(status->getValue<bool>("is_expired"));
  CHECK(status->getArray("scopes")->size() == 2);
  CHECK(status->getArray("scopes")->getElement<std::string>(1) == "write");
  CHECK_FALSE(status->getValue<bool>("has_refresh_token"));
  CHECK(status->getValue<std::string>("issuer").empty());
  CHECK(server.auth().status("alice@example.com").find(token) == std::string::npos);

  // The server-level one (user ""), scopes as a space-separated string, no expiry.
  CHECK_FALSE(server.status("")->has("source"));
  server.auth().store_token("", "server-token-0123456789", R"({"scopes": "read admin"})");
  status = server.status("");
  CHECK(status->getValue<std::string>("source") == "server");
  CHECK(status->get("expires_at").isEmpty());
  CHECK(status->getArray("scopes")->getElement<std::string>(1) == "admin");
  CHECK(server.authorization("") == "Bearer server-token-0123456789");
  CHECK_FALSE(server.contacted());
}

TEST_CASE("a supplied token that is not a Bearer token, or metadata that is unusable, is refused") {
  OAuthServer server;
  const std::string valid = "valid-token-0123456789";
  struct Case {
    std::string what, token, metadata, message;
  };
  const std::vector<Case> cases = {
      {"empty", "", "{}", "empty access token: there is nothing to store"},
      {"too long", std::string(16 * 1024 + 1, 'a'), "{}",
       "too long an access token: 16385 bytes, more than the 16384 allowed"},
      {"space", "secret-part one-two", "{}", "not a Bearer access token: character 12 is not allowed (RFC 6750: "},
      {"padding inside", "secret==part-three", "{}", "character 7 is not allowed"},
      {"quote", "secret\"part-four", "{}", "character 7 is not allowed"},
      {"newline", "secret-part-five\r\nX-Other: 1", "{}", "character 17 is not allowed"},
      {"not ASCII", "secret-part-s\xc3\xa9ven", "{}", "character 14 is not allowed"},
      {"only padding", "================", "{}", "not a Bearer access token: it is all '=' padding"},
      {"expired", valid, metadata_expiring_at(now_s() - 60), "the metadata's expires_at ("},
      {"expiring now", valid, metadata_expiring_at(now_s()), ") has passed"},
      {"expires_at a string", valid, R"({"expires_at": "tomorrow"})",
       "the metadata's expires_at must be a number of Unix seconds"},
      {"scopes a number", valid, R"({"scopes": 5})",
       "the metadata's scopes must be a list of strings or a space-separated string"},
      {"scopes with a number", valid, R"({"scopes": ["read", 5]})", "the metadata's scopes must be a list of strings"},
      {"metadata not JSON", valid, "expires tomorrow", "the token's metadata is not a JSON object"},
  };
  for (const Case& refused : cases) {
    INFO(refused.what);
    CHECK_THROWS_MATCHES(server.auth().store_token("alice@example.com", refused.token, refused.metadata), PluginError,
                         Refusal(MCPAUTH_ERR_INVALID_ARGUMENT, refused.message, refused.token));
  }
  CHECK(server.stored_keys().empty());
  CHECK_FALSE(server.contacted());
}

TEST_CASE("once a supplied token expires, the user is asked to sign in again") {
  OAuthServer server;
  const int64_t expires_at = now_s() + 2;
  server.auth().store_token("alice@example.com", "short-lived-token-0123", metadata_expiring_at(expires_at));
  // Usable until it expires, though it cannot be refreshed.
  CHECK(server.authorization("alice@example.com") == "Bearer short-lived-token-0123");

  while (now_s() <= expires_at) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_THROWS_MATCHES(
      server.auth().get_credentials("alice@example.com"), PluginError,
      Refusal(MCPAUTH_ERR_AUTH_REQUIRED, "the access token expired and there is no refresh token; sign in again"));
  CHECK(server.status("alice@example.com")->getValue<bool>("is_expired"));
  // The server's 401 leads to a new authorization, not to a refresh.
  CHECK(server.auth().on_challenge("alice@example.com", 401, R"(Bearer error="invalid_token")") ==
        MCPAUTH_CHALLENGE_AUTHORIZE);
  CHECK_FALSE(server.contacted());
}

TEST_CASE("logout deletes a supplied token, with no request to any server") {
  OAuthServer server;
  server.auth().store_token("alice@example.com", "logout-token-0123456789", metadata_expiring_at(now_s() + 3600));
  server.auth().logout("alice@example.com");
  CHECK(server.stored_keys().empty());
  Poco::JSON::Object::Ptr status = server.status("alice@example.com");
  CHECK_FALSE(status->getValue<bool>("authenticated"));
  CHECK_FALSE(status->has("source"));
  CHECK_THROWS_MATCHES(server.auth().get_credentials("alice@example.com"), PluginError,
                       Refusal(MCPAUTH_ERR_AUTH_REQUIRED, "not signed in to 'srv'"));
  CHECK_FALSE(server.contacted());
}
