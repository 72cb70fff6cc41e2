// Who the user is (the proxy's identity header and secret) and which groups they are in (the
// user_groups table, or a group service: a real HTTP server run by the test).
#include "api_harness.h"
#include "group_service_stub.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <chrono>

using namespace mcpauth::test;

namespace {

bool can_see(const ApiHarness& api, const std::string& user, const std::string& server) {
  auto servers = api.get("/api/mcp/auth/status", user).json()->getArray("servers");
  for (size_t i = 0; i < servers->size(); ++i)
    if (servers->getObject(i)->getValue<std::string>("server_name") == server) return true;
  return false;
}

std::string service_settings(const GroupServiceStub& service, int cache_s, int timeout_ms = 5000) {
  return R"("user_groups": {"root@example.com": ["admin"]}, "group_service": {"url": ")" + service.url() +
         R"(", "api_key": "group-service-key-42", "cache_s": )" + std::to_string(cache_s) + R"(, "timeout_ms": )" +
         std::to_string(timeout_ms) + "}";
}

}  // namespace

TEST_CASE("the identity header must name one user") {
  ApiHarness api(standard_config());
  const std::string target = "/api/mcp/auth/status";
  CHECK(api.get(target).detail() == "Not authenticated: missing user identity");
  CHECK(api.get(target, "", {{"X-User-Email", ""}}).detail() == "Not authenticated: missing user identity");
  CHECK(api.get(target, "", {{"X-User-Email", "a@example.com"}, {"X-User-Email", "root@example.com"}}).detail() ==
        "Not authenticated: invalid user identity");
  CHECK(api.get(target, std::string(300, 'a')).detail() == "Not authenticated: invalid user identity");
  CHECK(api.get(target, "", {{"x-user-email", "lower@example.com"}}).status == 200);
  HttpReply control = raw_request(api.port(), "GET " + target +
                                                  " HTTP/1.1\r\nHost: x\r\nX-User-Email: a\x01"
                                                  "b@example.com\r\nConnection: close\r\n\r\n");
  CHECK(control.status == 401);
  CHECK(control.json());
}

TEST_CASE("with a proxy secret, only requests that carry it are believed") {
  ApiHarness api(standard_config(
      R"("proxy_secret": "proxy-secret-value-9f8e", "identity_header": "X-Forwarded-User", "proxy_secret_header": "X-Auth-Secret")"));
  const std::string target = "/api/mcp/auth/status";
  HttpReply missing = api.get(target, "", {{"X-Forwarded-User", "alice@example.com"}});
  CHECK(missing.status == 401);
  CHECK(missing.detail() == "Not authenticated: invalid proxy secret");
  for (const std::string wrong :
       {"proxy-secret-value-9f8", "proxy-secret-value-9f8ee", "PROXY-SECRET-VALUE-9F8E", ""}) {
    INFO(wrong);
    CHECK(api.get(target, "", {{"X-Forwarded-User", "alice@example.com"}, {"X-Auth-Secret", wrong}}).detail() ==
          "Not authenticated: invalid proxy secret");
  }
  HttpReply ok =
      api.get(target, "", {{"X-Forwarded-User", "alice@example.com"}, {"X-Auth-Secret", "proxy-secret-value-9f8e"}});
  CHECK(ok.status == 200);
  CHECK(ok.json()->getValue<std::string>("user") == "alice@example.com");
  // The default header is not the identity any more.
  CHECK(api.get(target, "alice@example.com", {{"X-Auth-Secret", "proxy-secret-value-9f8e"}}).detail() ==
        "Not authenticated: missing user identity");
  CHECK_THAT(missing.body + ok.body, !Catch::Contains("proxy-secret-value"));
  // Health checks and metrics come from elsewhere than the proxy.
  CHECK(api.get("/healthz").status == 200);
}

TEST_CASE("production mode refuses to start without a proxy secret") {
  CHECK_THROWS_WITH(ApiHarness(standard_config(R"("mode": "production")")),
                    Catch::Contains("mode 'production' needs mcpauth.proxy_secret"));
  ApiHarness api(standard_config(R"("mode": "production", "proxy_secret": "s3cret-proxy-value")"));
  CHECK(api.get("/api/mcp/auth/status", "alice@example.com", {{"X-Proxy-Secret", "s3cret-proxy-value"}}).status == 200);
  CHECK(api.get("/api/mcp/auth/status", "alice@example.com").status == 401);
}

TEST_CASE("in development, dev_user is the user of requests without an identity header") {
  ApiHarness api(standard_config(R"("dev_user": "root@example.com")"));
  HttpReply anonymous = api.get("/admin/mcp/jwt/list");
  CHECK(anonymous.status == 200);  // root@example.com is an admin
  CHECK(api.get("/api/mcp/auth/status").json()->getValue<std::string>("user") == "root@example.com");
  // A proxy's header still wins.
  CHECK(api.get("/api/mcp/auth/status", "bob@example.com").json()->getValue<std::string>("user") == "bob@example.com");
  CHECK(api.get("/admin/mcp/jwt/list", "bob@example.com").status == 403);
  CHECK_THROWS_WITH(
      ApiHarness(standard_config(R"("mode": "production", "proxy_secret": "s3cret-proxy-value", "dev_user": "x")")),
      Catch::Contains("mode 'production' cannot have mcpauth.dev_user"));
}

TEST_CASE("groups come from the group service, asked with its key and cached") {
  GroupServiceStub service({{"dev", {"carol@example.com"}}, {"admin", {"dana@example.com"}}}, "group-service-key-42");
  StderrCapture log;
  ApiHarness api(standard_config(service_settings(service, 30)));

  CHECK(can_see(api, "carol@example.com", "team"));
  CHECK(service.last_authorization() == "Bearer group-service-key-42");
  CHECK(service.last_body() == R"({"user_id":"carol@example.com","group_id":"dev"})");
  CHECK_FALSE(can_see(api, "erin@example.com", "team"));
  CHECK(api.get("/admin/mcp/jwt/list", "dana@example.com").status == 200);
  CHECK(api.get("/admin/mcp/jwt/list", "carol@example.com").status == 403);

  // Answers are cached for cache_s: carol's removal is not seen yet.
  const int asked = service.requests();
  service.set_members({});
  CHECK(can_see(api, "carol@example.com", "team"));
  CHECK(service.requests() == asked);

  // The table wins for the users it lists, without asking.
  CHECK(api.get("/admin/mcp/jwt/list", "root@example.com").status == 200);
  CHECK(service.requests() == asked);
  CHECK_THAT(log.text(), !Catch::Contains("group-service-key-42"));
}

TEST_CASE("with cache_s 0 the group service is asked every time") {
  GroupServiceStub service({{"dev", {"carol@example.com"}}}, "group-service-key-42");
  ApiHarness api(standard_config(service_settings(service, 0)));
  CHECK(can_see(api, "carol@example.com", "team"));
  service.set_members({});
  CHECK_FALSE(can_see(api, "carol@example.com", "team"));
}

TEST_CASE("any failure of the group service means not a member") {
  GroupServiceStub service({{"dev", {"carol@example.com"}}}, "group-service-key-42");
  StderrCapture log;
  SECTION("a wrong key") {
    ApiHarness api(standard_config(R"("group_service": {"url": ")" + service.url() + R"(", "api_key": "other-key"})"));
    CHECK_FALSE(can_see(api, "carol@example.com", "team"));
    CHECK_THAT(log.text(), Catch::Contains("the group service answered HTTP 401"));
  }
  SECTION("HTTP 500") {
    service.set_behaviour(GroupServiceStub::Behaviour::fail_500);
    ApiHarness api(standard_config(service_settings(service, 30)));
    CHECK_FALSE(can_see(api, "carol@example.com", "team"));
    // Failures are not cached: once the service is back, its answer counts.
    service.set_behaviour(GroupServiceStub::Behaviour::answer);
    CHECK(can_see(api, "carol@example.com", "team"));
  }
  SECTION("an answer that is not JSON") {
    service.set_behaviour(GroupServiceStub::Behaviour::not_json);
    ApiHarness api(standard_config(service_settings(service, 30)));
    CHECK_FALSE(can_see(api, "carol@example.com", "team"));
  }
  SECTION("an answer later than timeout_ms") {
    service.set_behaviour(GroupServiceStub::Behaviour::slow);
    ApiHarness api(standard_config(service_settings(service, 30, 300)));
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(can_see(api, "carol@example.com", "team"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1400));
  }
  SECTION("no service at that address") {
    ApiHarness api(standard_config(R"("group_service": {"url": "http://127.0.0.1:9/groups", "api_key": "k"})"));
    CHECK_FALSE(can_see(api, "carol@example.com", "team"));
    CHECK(api.get("/admin/mcp/jwt/list", "carol@example.com").status == 403);
  }
  CHECK_THAT(log.text(), !Catch::Contains("group-service-key-42"));
}

TEST_CASE("a user who left the server's groups cannot finish a sign-in started before") {
  GroupServiceStub service({{"dev", {"carol@example.com"}}}, "group-service-key-42");
  auto config = parse_config(standard_config(service_settings(service, 0)));
  for (auto& server : config.servers)
    if (server.name == "web") server.groups = {"dev"};
  ApiHarness api(config);
  HttpReply started = api.get("/api/mcp/auth/web/oauth/start", "carol@example.com");
  REQUIRE(started.status == 302);
  const std::string location = started.header("Location");
  const std::string state = location.substr(location.find("state=") + 6, 32);
  const std::string cookie = started.header("Set-Cookie").substr(0, started.header("Set-Cookie").find(';'));
  service.set_members({});
  HttpReply done = api.get("/api/mcp/auth/web/oauth/callback?code=good-code&state=" + state, "carol@example.com",
                           {{"Cookie", cookie}});
  CHECK(done.header("Location") == "/?mcp_auth_server=web&mcp_auth_error=not_authorized");
}
