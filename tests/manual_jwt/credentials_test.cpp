// get_credentials, status and logout: which token a request carries, in which header, and what
// status tells about it.
#include "support.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace manual_jwt_test;

namespace {

const std::string kNoToken =
    "plugin manual_jwt (server srv): get_credentials failed: no token for server 'srv': an admin must upload one "
    "(POST /admin/mcp/srv/jwt) or the user must add theirs";

std::string bearer_of(Server& server, const std::string& user) {
  HeaderList headers = server.auth().get_credentials(user);
  REQUIRE(headers.size() == 1);
  return header(headers, "Authorization");
}

// A record as the plugin writes it, for tokens that expired after they were stored.
void put_record(Server& server, const std::string& key, const std::string& token, int64_t exp) {
  const std::string json =
      R"({"token":")" + token + R"(","stored_at":1000,"exp":)" + std::to_string(exp) + R"(,"metadata":{}})";
  server.storage().put("srv/" + key, mcpauth::core::Bytes(json.begin(), json.end()));
}

}  // namespace

TEST_CASE("a user's own token wins over the server-level one, which wins over auth_token") {
  const std::string from_config = jwt_with_claims(R"({"sub":"config"})");
  const std::string server_level = jwt_with_claims(R"({"sub":"server"})");
  const std::string alices = jwt_with_claims(R"({"sub":"alice"})");
  Server server(memory_server(R"("auth_type": "jwt", "auth_token": ")" + from_config + "\""));

  CHECK(bearer_of(server, "alice") == "Bearer " + from_config);
  server.auth().store_token("", server_level, "{}");
  CHECK(bearer_of(server, "alice") == "Bearer " + server_level);
  CHECK(bearer_of(server, "") == "Bearer " + server_level);
  server.auth().store_token("alice", alices, "{}");
  CHECK(bearer_of(server, "alice") == "Bearer " + alices);
  CHECK(bearer_of(server, "bob") == "Bearer " + server_level);
  CHECK(bearer_of(server, "") == "Bearer " + server_level);

  // Deleting goes back down the same order.
  server.auth().logout("alice");
  CHECK(bearer_of(server, "alice") == "Bearer " + server_level);
  server.auth().logout("");
  CHECK(bearer_of(server, "alice") == "Bearer " + from_config);
}

TEST_CASE("two users never see each other's token") {
  Server server(memory_server(R"("auth_type": "bearer")"));
  server.auth().store_token("alice@example.com", "alice-token-1", "{}");
  server.auth().store_token("bob@example.com", "bob-token-2", "{}");
  CHECK(bearer_of(server, "alice@example.com") == "Bearer alice-token-1");
  CHECK(bearer_of(server, "bob@example.com") == "Bearer bob-token-2");
  // A user whose name extends another's, and the default user, get neither.
  CHECK(error_of([&] { server.auth().get_credentials("alice@example.com.evil"); }).what() == std::string(kNoToken));
  CHECK(error_of([&] { server.auth().get_credentials(""); }).status() == MCPAUTH_ERR_AUTH_REQUIRED);
  CHECK(parse(server.auth().status("carol@example.com"))->getValue<bool>("authenticated") == false);

  server.auth().logout("alice@example.com");
  CHECK(error_of([&] { server.auth().get_credentials("alice@example.com"); }).status() == MCPAUTH_ERR_AUTH_REQUIRED);
  CHECK(bearer_of(server, "bob@example.com") == "Bearer bob-token-2");
  auto keys = server.storage().list("");
  CHECK(keys == std::vector<std::string>{"srv/token/user:bob@example.com"});
}

TEST_CASE("without any token a request needs one, and the message says who can provide it") {
  for (const char* type : {"jwt", "bearer", "api_key"}) {
    INFO(type);
    Server server(memory_server(std::string(R"("auth_type": ")") + type + "\""));
    PluginError error = error_of([&] { server.auth().get_credentials("alice"); });
    CHECK(error.status() == MCPAUTH_ERR_AUTH_REQUIRED);
    CHECK(error.what() == kNoToken);
  }
}

TEST_CASE("a stored token that has expired since is refused at use, not sent") {
  Server server(memory_server(R"("auth_type": "jwt")"));
  const std::string old_jwt = jwt_with_claims(R"({"exp":1500000000})");
  put_record(server, "token/server", old_jwt, 1500000000);
  PluginError error = error_of([&] { server.auth().get_credentials("alice"); });
  CHECK(error.status() == MCPAUTH_ERR_AUTH_REQUIRED);
  CHECK(error.what() == std::string("plugin manual_jwt (server srv): get_credentials failed: the JWT stored for server "
                                    "'srv' expired at 2017-07-14T02:40:00Z: store a new one"));
  CHECK(std::string(error.what()).find(old_jwt) == std::string::npos);

  // A user's own expired token is not silently replaced by the server-level one.
  server.auth().store_token("", jwt_with_claims(R"({"sub":"fresh"})"), "{}");
  put_record(server, "token/user:alice", old_jwt, 1500000000);
  CHECK_THAT(error_of([&] { server.auth().get_credentials("alice"); }).what(),
             Catch::Contains("the JWT stored for user 'alice' of server 'srv' expired at 2017-07-14T02:40:00Z"));
  auto status = parse(server.auth().status("alice"));
  CHECK(status->getValue<std::string>("source") == "user");
  CHECK(status->getValue<bool>("is_expired"));
  CHECK_FALSE(status->getValue<bool>("authenticated"));
  CHECK(status->getValue<int64_t>("expires_in") == 0);
  CHECK_THAT(bearer_of(server, "bob"), Catch::StartsWith("Bearer "));

  SECTION("also when it expires while stored") {
    const int64_t exp = now_s() + 1;
    server.auth().store_token("carol", jwt_with_claims(R"({"exp":)" + std::to_string(exp) + "}"), "{}");
    CHECK_NOTHROW(server.auth().get_credentials("carol"));
    while (now_s() < exp) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK_THAT(error_of([&] { server.auth().get_credentials("carol"); }).what(),
               Catch::Contains("the JWT stored for user 'carol' of server 'srv' expired at"));
  }
  SECTION("and a JWT in the configuration") {
    Server configured(memory_server(R"("auth_type": "jwt", "auth_token": ")" + old_jwt + "\""));
    CHECK(error_of([&] { configured.auth().get_credentials("alice"); }).what() ==
          std::string("plugin manual_jwt (server srv): get_credentials failed: the JWT in the configuration "
                      "(auth_token) of server 'srv' expired at 2017-07-14T02:40:00Z: update auth_token in the "
                      "configuration"));
  }
  SECTION("and a bearer token whose metadata said when it expires") {
    Server bearer(memory_server(R"("auth_type": "bearer")"));
    put_record(bearer, "token/user:alice", "opaque-123", 1500000000);
    CHECK_THAT(error_of([&] { bearer.auth().get_credentials("alice"); }).what(),
               Catch::Contains("the token stored for user 'alice' of server 'srv' expired at 2017-07-14T02:40:00Z"));
  }
}

TEST_CASE("the header: Authorization Bearer, or the API key header") {
  SECTION("bearer from the configuration's auth_token") {
    Server server(memory_server(R"("auth_type": "bearer", "auth_token": "config-token-abc")"));
    CHECK(server.auth().get_credentials("alice") == HeaderList{{"Authorization", "Bearer config-token-abc"}});
  }
  SECTION("api_key: X-API-Key by default") {
    Server server(memory_server(R"("auth_type": "api_key", "auth_token": "key-123")"));
    CHECK(server.auth().get_credentials("alice") == HeaderList{{"X-API-Key", "key-123"}});
    server.auth().store_token("alice", "alices-key-456", "{}");
    CHECK(server.auth().get_credentials("alice") == HeaderList{{"X-API-Key", "alices-key-456"}});
  }
  SECTION("api_key: the configured auth_header") {
    Server server(memory_server(R"("auth_type": "api_key", "auth_header": "X-Custom-Key")"));
    server.auth().store_token("", "server-key-789", "{}");
    CHECK(server.auth().get_credentials("bob") == HeaderList{{"X-Custom-Key", "server-key-789"}});
  }
  SECTION("jwt with an auth_header: that header, still with the Bearer scheme") {
    Server server(memory_server(R"("auth_type": "jwt", "auth_header": "X-Token")"));
    const std::string jwt = jwt_with_claims("{}");
    server.auth().store_token("", jwt, "{}");
    CHECK(server.auth().get_credentials("bob") == HeaderList{{"X-Token", "Bearer " + jwt}});
  }
}

TEST_CASE("a configuration token that cannot be used stops the binding, without showing it") {
  auto binding_error = [](const std::string& fields) {
    try {
      Server server(memory_server(fields));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  std::string bearer = binding_error(R"("auth_type": "bearer", "auth_token": "secret with-space")");
  CHECK_THAT(bearer, Catch::Contains("server 'srv'") && Catch::Contains("manual_jwt") &&
                         Catch::Contains("auth_token in the configuration cannot be used: not a usable token: "
                                         "character 7 is a space"));
  CHECK(bearer.find("secret") == std::string::npos);
  std::string jwt = binding_error(R"("auth_type": "jwt", "auth_token": "not-a-jwt-secret")");
  CHECK_THAT(jwt, Catch::Contains("auth_token in the configuration cannot be used: a JWT has 3 base64url segments"));
  CHECK(jwt.find("not-a-jwt-secret") == std::string::npos);
  CHECK_THAT(binding_error(R"("auth_type": "api_key", "auth_header": "Bad Header")"),
             Catch::Contains("/auth_header: does not match pattern"));
}

TEST_CASE("status describes the token in use without showing it") {
  const int64_t exp = now_s() + 7200;
  const std::string jwt =
      jwt_with_claims(R"({"iss":"https://idp.example","sub":"svc-7","exp":)" + std::to_string(exp) + "}");
  const std::string signature = jwt.substr(jwt.rfind('.') + 1);
  Server server(memory_server(R"("auth_type": "jwt", "auth_token": ")" + jwt + "\""));

  auto from_config = parse(server.auth().status("alice"));
  CHECK(from_config->getValue<std::string>("plugin") == "manual_jwt");
  CHECK(from_config->getValue<std::string>("auth_type") == "jwt");
  CHECK(from_config->getValue<bool>("authenticated"));
  CHECK(from_config->getValue<std::string>("source") == "config");
  CHECK(from_config->getValue<int64_t>("exp") == exp);
  CHECK(from_config->getValue<int64_t>("expires_in") > 7000);
  CHECK_FALSE(from_config->getValue<bool>("is_expired"));
  CHECK(from_config->getValue<std::string>("issuer") == "https://idp.example");
  CHECK(from_config->getValue<std::string>("subject") == "svc-7");
  CHECK(from_config->isNull("stored_at"));

  server.auth().store_token("alice", jwt_with_claims(R"({"sub":"alice"})"), "{}");
  auto from_user = parse(server.auth().status("alice"));
  CHECK(from_user->getValue<std::string>("source") == "user");
  CHECK(from_user->isNull("exp"));
  CHECK(from_user->isNull("expires_in"));
  CHECK(from_user->isNull("issuer"));
  CHECK(from_user->getValue<std::string>("subject") == "alice");
  CHECK(from_user->getValue<int64_t>("stored_at") >= now_s() - 5);

  Server empty(memory_server(R"("auth_type": "api_key")"));
  CHECK(empty.auth().status("") ==
        R"({"auth_type":"api_key","authenticated":false,"exp":null,"expires_in":null,"is_expired":false,)"
        R"("issuer":null,"plugin":"manual_jwt","source":null,"stored_at":null,"subject":null})");

  for (const char* user : {"", "alice", "bob"}) {
    std::string status = server.auth().status(user);
    CHECK(status.find(signature) == std::string::npos);
    CHECK(status.find(jwt.substr(0, jwt.find('.'))) == std::string::npos);
  }
}

TEST_CASE("logout deletes one user's token, or the server-level one, and says when there is none") {
  Server server(memory_server(R"("auth_type": "bearer", "auth_token": "config-token")"));
  server.auth().store_token("", "server-token", "{}");
  server.auth().store_token("alice", "alice-token", "{}");
  server.auth().logout("alice");
  CHECK(bearer_of(server, "alice") == "Bearer server-token");
  PluginError again = error_of([&] { server.auth().logout("alice"); });
  CHECK(again.status() == MCPAUTH_ERR_NOT_FOUND);
  CHECK(again.what() ==
        std::string(
            "plugin manual_jwt (server srv): logout failed: no token is stored for user 'alice' of server 'srv'"));
  server.auth().logout("");
  CHECK(error_of([&] { server.auth().logout(""); }).what() ==
        std::string("plugin manual_jwt (server srv): logout failed: no token is stored for server 'srv'"));
  // The configuration's token is not stored, so it stays.
  CHECK(bearer_of(server, "alice") == "Bearer config-token");
  CHECK(server.storage().list("").empty());
}

TEST_CASE("a 401 is reported as it is, and there is no interactive authorization") {
  Server server(memory_server(R"("auth_type": "bearer")"));
  CHECK(server.auth().on_challenge("alice", 401, R"(Bearer error="invalid_token")") == MCPAUTH_CHALLENGE_FAIL);
  PluginError error =
      error_of([&] { server.auth().begin_authorization("alice", "http://127.0.0.1/cb", MCPAUTH_FLOW_WEB, ""); });
  CHECK(error.status() == MCPAUTH_ERR_UNSUPPORTED);
  CHECK_THROWS_AS(server.auth().refresh("alice"), PluginError);
}
