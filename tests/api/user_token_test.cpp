// Per-user routes: the status of the servers a user may see, and their own tokens.
#include "api_harness.h"
#include "test_support.h"

#include <Poco/JSON/Array.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace mcpauth::test;

namespace {

// The status entries of a user's servers, by name.
std::map<std::string, Poco::JSON::Object::Ptr> status_entries(const ApiHarness& api, const std::string& user) {
  HttpReply reply = api.get("/api/mcp/auth/status", user);
  REQUIRE(reply.status == 200);
  std::map<std::string, Poco::JSON::Object::Ptr> out;
  auto servers = reply.json()->getArray("servers");
  for (size_t i = 0; i < servers->size(); ++i)
    out[servers->getObject(i)->getValue<std::string>("server_name")] = servers->getObject(i);
  return out;
}

std::vector<std::string> names(const std::map<std::string, Poco::JSON::Object::Ptr>& entries) {
  std::vector<std::string> out;
  for (const auto& [name, entry] : entries) out.push_back(name);
  return out;
}

}  // namespace

TEST_CASE("the status lists the servers a user may use, in Atlas's shape") {
  ApiHarness api(standard_config());
  HttpReply reply = api.get("/api/mcp/auth/status", "alice@example.com");
  REQUIRE(reply.status == 200);
  CHECK(reply.json()->getValue<std::string>("user") == "alice@example.com");

  auto alice = status_entries(api, "alice@example.com");
  CHECK(names(alice) == std::vector<std::string>{"broken", "jwt-server", "oauth", "open", "shared", "team", "web"});
  CHECK(names(status_entries(api, "bob@example.com")) ==
        std::vector<std::string>{"broken", "jwt-server", "oauth", "open", "shared", "web"});

  for (const auto& [name, entry] : alice) {
    INFO(name);
    for (const char* field :
         {"server_name", "auth_type", "auth_required", "authenticated", "token_type", "is_expired", "expires_at",
          "time_until_expiry", "has_refresh_token", "scopes", "oauth_start_url", "token_source"})
      CHECK(entry->has(field));
  }
  CHECK(alice["jwt-server"]->getValue<std::string>("auth_type") == "jwt");
  CHECK(alice["jwt-server"]->getValue<bool>("auth_required"));
  CHECK_FALSE(alice["jwt-server"]->getValue<bool>("authenticated"));
  CHECK(alice["jwt-server"]->get("oauth_start_url").isEmpty());
  CHECK(alice["jwt-server"]->get("token_source").isEmpty());
  CHECK(alice["open"]->getValue<std::string>("auth_type") == "none");
  CHECK_FALSE(alice["open"]->getValue<bool>("auth_required"));
  CHECK(alice["oauth"]->getValue<std::string>("auth_type") == "oauth");
  CHECK(alice["oauth"]->getValue<std::string>("oauth_start_url") ==
        api.server().public_base_url() + "/api/mcp/auth/oauth/oauth/start");
  CHECK(alice["web"]->getValue<std::string>("oauth_start_url") ==
        "http://127.0.0.1:" + std::to_string(api.port()) + "/api/mcp/auth/web/oauth/start");
  CHECK_FALSE(alice["broken"]->getValue<bool>("available"));
  CHECK(alice["team"]->getValue<bool>("available"));

  CHECK(api.get("/api/mcp/auth/status").status == 401);
}

TEST_CASE("a user stores and removes their own token") {
  ApiHarness api(standard_config());
  const std::string token = "user-bearer-token-0123456789";
  const int64_t expires_at = now_s() + 1800;
  HttpReply stored = api.post_json(
      "/api/mcp/auth/team/token", "alice@example.com",
      R"({"token": ")" + token + R"(", "expires_at": )" + std::to_string(expires_at) + R"(, "scopes": "read write"})");
  REQUIRE(stored.status == 200);
  CHECK(stored.body == R"({"message":"Token stored for server 'team'","server_name":"team","token_type":"bearer",)"
                       R"("expires_at":)" +
                           std::to_string(expires_at) + R"(,"scopes":"read write"})");
  CHECK_THAT(stored.body, !Catch::Contains(token));

  auto team = status_entries(api, "alice@example.com")["team"];
  CHECK(team->getValue<bool>("authenticated"));
  CHECK(team->getValue<std::string>("token_type") == "bearer");
  CHECK(team->getValue<int64_t>("expires_at") == expires_at);
  CHECK_FALSE(team->getValue<bool>("is_expired"));
  CHECK(team->getValue<int64_t>("time_until_expiry") > 1700);

  // Nobody else has it.
  CHECK_FALSE(status_entries(api, "root@example.com").at("shared")->getValue<bool>("authenticated"));

  HttpReply removed = api.del("/api/mcp/auth/team/token", "alice@example.com");
  CHECK(removed.status == 200);
  CHECK(removed.body == R"({"message":"Token removed for server 'team'","server_name":"team"})");
  CHECK_FALSE(status_entries(api, "alice@example.com")["team"]->getValue<bool>("authenticated"));
  HttpReply again = api.del("/api/mcp/auth/team/token", "alice@example.com");
  CHECK(again.status == 404);
  CHECK(again.detail() == "No token found for server 'team'");
}

TEST_CASE("a user's JWT is checked by the plugin and reported") {
  ApiHarness api(standard_config());
  const int64_t exp = now_s() + 900;
  HttpReply stored =
      api.post_json("/api/mcp/auth/jwt-server/token", "bob@example.com", R"({"token": ")" + make_jwt(exp) + R"("})");
  CHECK(stored.status == 200);
  CHECK(stored.json()->getValue<std::string>("token_type") == "jwt");
  CHECK(stored.json()->getValue<int64_t>("expires_at") == exp);

  HttpReply expired = api.post_json("/api/mcp/auth/jwt-server/token", "bob@example.com",
                                    R"({"token": ")" + make_jwt(now_s() - 10) + R"("})");
  CHECK(expired.status == 400);
  CHECK_THAT(expired.detail(), Catch::Contains("expired"));
  HttpReply garbage =
      api.post_json("/api/mcp/auth/jwt-server/token", "bob@example.com", R"({"token": "three.part.garbage"})");
  CHECK(garbage.status == 400);
  CHECK_THAT(garbage.body, !Catch::Contains("three.part.garbage"));
}

TEST_CASE("a server-level token is not the user's own") {
  ApiHarness api(standard_config());
  REQUIRE(api.post_json("/admin/mcp/shared/jwt", "root@example.com", R"({"jwt_token": "server-wide-token"})").status ==
          200);
  Poco::JSON::Object::Ptr shared = status_entries(api, "bob@example.com")["shared"];
  CHECK(shared->getValue<bool>("authenticated"));
  CHECK(shared->getValue<std::string>("token_source") == "server");  // the page offers no "Remove" for it
  REQUIRE(api.post_json("/api/mcp/auth/shared/token", "bob@example.com", R"({"token": "bobs-own-token-77"})").status ==
          200);
  CHECK(status_entries(api, "bob@example.com")["shared"]->getValue<std::string>("token_source") == "user");
  REQUIRE(api.del("/api/mcp/auth/shared/token", "bob@example.com").status == 200);
  CHECK(status_entries(api, "bob@example.com")["shared"]->getValue<std::string>("token_source") == "server");
  HttpReply removed = api.del("/api/mcp/auth/shared/token", "bob@example.com");
  CHECK(removed.status == 404);
  CHECK(removed.detail() == "No token found for server 'shared'");
  CHECK(api.get("/admin/mcp/shared/jwt", "root@example.com").json()->getValue<bool>("has_jwt"));
}

TEST_CASE("per-user token routes refuse what they must") {
  ApiHarness api(standard_config());
  struct Case {
    std::string method, server, user, body;
    int status;
    std::string detail;  // a part of it
  };
  const std::vector<Case> cases = {
      {"POST", "team", "bob@example.com", R"({"token": "abc"})", 403, "Not authorized to access server 'team'"},
      {"DELETE", "team", "bob@example.com", "", 403, "Not authorized to access server 'team'"},
      {"POST", "team", "", R"({"token": "abc"})", 401, "Not authenticated: missing user identity"},
      {"POST", "nope", "alice@example.com", R"({"token": "abc"})", 404, "not found in configuration"},
      {"DELETE", "off", "alice@example.com", "", 404, "is disabled in configuration"},
      {"POST", "broken", "alice@example.com", R"({"token": "abc"})", 503, "is unavailable"},
      {"POST", "open", "alice@example.com", R"({"token": "abc"})", 400, "does not take uploaded tokens"},
      {"POST", "team", "alice@example.com", R"({"token": "abc", "expires_at": "tomorrow"})", 422, "expires_at"},
      {"POST", "team", "alice@example.com", R"({"token": "abc", "expires_at": true})", 422, "expires_at"},
      {"POST", "team", "alice@example.com", R"({"token": "abc", "expires_at": -5})", 422, "expires_at"},
      {"POST", "team", "alice@example.com", R"({"token": "abc", "expires_at": 10})", 400, "has passed"},
      {"POST", "team", "alice@example.com", R"({"token": "abc", "scopes": {"a": 1}})", 422, "scopes"},
      {"POST", "team", "alice@example.com", R"({"token": "abc", "scopes": [1]})", 422, "scopes"},
      {"POST", "team", "alice@example.com", R"({"token": "abc", "owner": "root"})", 422, "Unknown field 'owner'"},
      {"POST", "team", "alice@example.com", R"({"jwt_token": "abc"})", 422, "Unknown field 'jwt_token'"},
      {"POST", "team", "alice@example.com", R"({"token": "has space"})", 400, "plugin manual_jwt"},
      {"DELETE", "open", "alice@example.com", "", 404, "No token found for server 'open'"},
  };
  for (const Case& c : cases) {
    INFO(c.method << " " << c.server << " " << c.user << " " << c.body);
    HeaderList headers;
    if (!c.user.empty()) headers.emplace_back("X-User-Email", c.user);
    HttpReply reply = http_request(api.port(), c.method, "/api/mcp/auth/" + c.server + "/token", headers, c.body);
    CHECK(reply.status == c.status);
    CHECK_THAT(reply.detail(), Catch::Contains(c.detail));
  }
  CHECK_FALSE(status_entries(api, "alice@example.com")["team"]->getValue<bool>("authenticated"));
}

TEST_CASE("a user of an OAuth server may give their own access token") {
  ApiHarness api(standard_config());
  const int64_t expires_at = now_s() + 600;
  HttpReply stored = api.post_json("/api/mcp/auth/oauth/token", "bob@example.com",
                                   R"({"token": "bobs-oauth-access-token-1", "expires_at": )" +
                                       std::to_string(expires_at) + R"(, "scopes": ["read"]})");
  REQUIRE(stored.status == 200);
  CHECK_THAT(stored.body, !Catch::Contains("bobs-oauth-access-token-1"));
  Poco::JSON::Object::Ptr entry = status_entries(api, "bob@example.com")["oauth"];
  CHECK(entry->getValue<bool>("authenticated"));
  CHECK(entry->getValue<std::string>("token_source") == "user");
  CHECK(entry->getValue<int64_t>("expires_at") == expires_at);
  CHECK(entry->getValue<std::string>("scopes") == "read");
  CHECK_FALSE(entry->getValue<bool>("has_refresh_token"));
  CHECK_FALSE(status_entries(api, "alice@example.com")["oauth"]->getValue<bool>("authenticated"));

  HttpReply bad = api.post_json("/api/mcp/auth/oauth/token", "bob@example.com", R"({"token": "has spaces in it"})");
  CHECK(bad.status == 400);
  CHECK_THAT(bad.body, !Catch::Contains("has spaces"));

  CHECK(api.del("/api/mcp/auth/oauth/token", "bob@example.com").status == 200);
  CHECK(api.del("/api/mcp/auth/oauth/token", "bob@example.com").status == 404);
}

TEST_CASE("scopes may be given as a list; the answer shows them as Atlas does") {
  ApiHarness api(standard_config());
  HttpReply stored =
      api.post_json("/api/mcp/auth/shared/token", "alice@example.com", R"({"token": "abc", "scopes": ["a", "b"]})");
  CHECK(stored.status == 200);
  CHECK(stored.json()->getValue<std::string>("scopes") == "a b");
  CHECK(stored.json()->get("expires_at").isEmpty());
}

TEST_CASE("20 users store and read their own tokens at once without seeing each other's") {
  TempDir dir("api-concurrency");
  ApiHarness api(standard_config(R"("default_storage": {"plugin": "sqlite", "config": {"path": ")" +
                                 (dir / "tokens.db").string() + R"("}})"));
  const int64_t base = now_s() + 10'000;
  std::atomic<int> failures{0};
  std::vector<std::string> problems(20);
  std::vector<std::thread> users;
  for (int i = 0; i < 20; ++i) {
    users.emplace_back([&, i] {
      const std::string user = "user" + std::to_string(i) + "@example.com";
      const int64_t exp = base + i;
      auto fail = [&](const std::string& what) {
        ++failures;
        problems[static_cast<size_t>(i)] = user + ": " + what;
      };
      try {
        if (api.post_json("/api/mcp/auth/jwt-server/token", user, R"({"token": ")" + make_jwt(exp, user) + R"("})")
                .status != 200)
          return fail("upload");
        for (int round = 0; round < 5; ++round) {
          HttpReply reply = api.get("/api/mcp/auth/status", user);
          auto servers = reply.json()->getArray("servers");
          for (size_t s = 0; s < servers->size(); ++s) {
            auto entry = servers->getObject(s);
            if (entry->getValue<std::string>("server_name") != "jwt-server") continue;
            if (!entry->getValue<bool>("authenticated") || entry->getValue<int64_t>("expires_at") != exp)
              return fail("status shows another token");
          }
        }
        if (api.del("/api/mcp/auth/jwt-server/token", user).status != 200) return fail("delete");
      } catch (const std::exception& e) {
        fail(e.what());
      }
    });
  }
  for (auto& user : users) user.join();
  for (const auto& problem : problems) CHECK(problem.empty());
  CHECK(failures == 0);
  CHECK_FALSE(status_entries(api, "user7@example.com")["jwt-server"]->getValue<bool>("authenticated"));
}
