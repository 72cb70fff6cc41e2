// The admin JWT API against the real manual_jwt plugin: upload, read, list, delete, and the
// ways each can be refused.
#include "api_harness.h"
#include "test_support.h"

#include <catch2/catch.hpp>

using namespace mcpauth::test;

namespace {

const std::string kAdmin = "root@example.com";

std::string jwt_body(const std::string& jwt) { return R"({"jwt_token": ")" + jwt + R"("})"; }

}  // namespace

TEST_CASE("an admin uploads, reads, lists and deletes a server's JWT") {
  ApiHarness api(standard_config());
  const int64_t exp = now_s() + 3600;
  const std::string jwt = make_jwt(exp);

  HttpReply stored = api.post_json("/admin/mcp/jwt-server/jwt", kAdmin, jwt_body(jwt));
  CHECK(stored.status == 200);
  CHECK(stored.body ==
        R"({"status":"success","message":"JWT stored for server 'jwt-server'","server_name":"jwt-server"})");

  HttpReply read = api.get("/admin/mcp/jwt-server/jwt", kAdmin);
  REQUIRE(read.status == 200);
  auto status = read.json();
  REQUIRE(status);
  CHECK(status->getValue<std::string>("server_name") == "jwt-server");
  CHECK(status->getValue<bool>("has_jwt"));
  CHECK(status->getValue<std::string>("plugin") == "manual_jwt");
  CHECK(status->getValue<std::string>("source") == "server");
  CHECK(status->getValue<int64_t>("exp") == exp);
  CHECK(status->getValue<std::string>("subject") == "service-account");
  CHECK_THAT(read.body, !Catch::Contains(jwt) && !Catch::Contains(jwt.substr(0, jwt.find('.'))));

  CHECK(api.get("/admin/mcp/jwt/list", kAdmin).body ==
        R"({"servers":["jwt-server"],"count":1,"accepting":["jwt-server","shared","team"]})");

  // It takes effect at once: every user of the server now has a token.
  auto entries = api.get("/api/mcp/auth/status", "alice@example.com").json()->getArray("servers");
  for (size_t i = 0; i < entries->size(); ++i) {
    auto entry = entries->getObject(i);
    if (entry->getValue<std::string>("server_name") == "jwt-server") {
      CHECK(entry->getValue<bool>("authenticated"));
      CHECK(entry->getValue<int64_t>("expires_at") == exp);
    }
  }

  HttpReply deleted = api.del("/admin/mcp/jwt-server/jwt", kAdmin);
  CHECK(deleted.status == 200);
  CHECK(deleted.body ==
        R"({"status":"success","message":"JWT deleted for server 'jwt-server'","server_name":"jwt-server"})");
  CHECK_FALSE(api.get("/admin/mcp/jwt-server/jwt", kAdmin).json()->getValue<bool>("has_jwt"));
  HttpReply again = api.del("/admin/mcp/jwt-server/jwt", kAdmin);
  CHECK(again.status == 404);
  CHECK(again.detail() == "No JWT found for server 'jwt-server'");
  CHECK(api.get("/admin/mcp/jwt/list", kAdmin).body ==
        R"({"servers":[],"count":0,"accepting":["jwt-server","shared","team"]})");
}

TEST_CASE("a user's own token is not the server's JWT") {
  ApiHarness api(standard_config());
  REQUIRE(api.post_json("/api/mcp/auth/jwt-server/token", "alice@example.com",
                        R"({"token": ")" + make_jwt(now_s() + 600) + R"("})")
              .status == 200);
  CHECK_FALSE(api.get("/admin/mcp/jwt-server/jwt", kAdmin).json()->getValue<bool>("has_jwt"));
  CHECK(api.del("/admin/mcp/jwt-server/jwt", kAdmin).status == 404);
}

TEST_CASE("the admin routes are for admins only") {
  ApiHarness api(standard_config());
  const std::string forbidden = "Admin access required. User must be in 'admin' group.";
  const std::string body = jwt_body(make_jwt(now_s() + 600));
  CHECK(api.post_json("/admin/mcp/jwt-server/jwt", "alice@example.com", body).detail() == forbidden);
  CHECK(api.post_json("/admin/mcp/jwt-server/jwt", "alice@example.com", body).status == 403);
  CHECK(api.get("/admin/mcp/jwt-server/jwt", "bob@example.com").status == 403);
  CHECK(api.del("/admin/mcp/jwt-server/jwt", "bob@example.com").status == 403);
  CHECK(api.get("/admin/mcp/jwt/list", "alice@example.com").detail() == forbidden);
  HttpReply anonymous = api.post_json("/admin/mcp/jwt-server/jwt", "", body);
  CHECK(anonymous.status == 401);
  CHECK(anonymous.detail() == "Not authenticated: missing user identity");
  // A non-admin's upload changed nothing.
  CHECK_FALSE(api.get("/admin/mcp/jwt-server/jwt", kAdmin).json()->getValue<bool>("has_jwt"));
}

TEST_CASE("servers whose users sign in themselves have no server-level JWT to read or delete") {
  ApiHarness api(standard_config());
  for (const std::string server : {"oauth", "web", "open"}) {
    INFO(server);
    for (const HttpReply& reply :
         {api.get("/admin/mcp/" + server + "/jwt", kAdmin), api.del("/admin/mcp/" + server + "/jwt", kAdmin)}) {
      CHECK(reply.status == 400);
      CHECK_THAT(reply.detail(), Catch::StartsWith("MCP server '" + server + "' does not take a server-level JWT"));
    }
  }
}

TEST_CASE("the admin group comes from the settings") {
  ApiHarness api(standard_config(R"("admin_group": "ops", "user_groups": {"olga@example.com": ["ops"]})"));
  CHECK(api.get("/admin/mcp/jwt/list", "olga@example.com").status == 200);
  HttpReply root = api.get("/admin/mcp/jwt/list", "root@example.com");
  CHECK(root.status == 403);
  CHECK(root.detail() == "Admin access required. User must be in 'ops' group.");
}

TEST_CASE("uploads that are refused, and why") {
  ApiHarness api(standard_config());
  const std::string good = make_jwt(now_s() + 600);
  struct Case {
    std::string server, content_type, body;
    int status;
    std::string detail;  // a part of it
  };
  const std::vector<Case> cases = {
      {"nope", "application/json", jwt_body(good), 404, "MCP server 'nope' not found in configuration"},
      {"off", "application/json", jwt_body(good), 404, "MCP server 'off' is disabled in configuration"},
      {"broken", "application/json", jwt_body(good), 503, "MCP server 'broken' is unavailable"},
      {"jwt-server", "text/plain", jwt_body(good), 415, "Content-Type must be application/json"},
      {"jwt-server", "application/json", "{\"jwt_token\": ", 400, "Request body is not valid JSON"},
      {"jwt-server", "application/json", "[1, 2]", 422, "Request body must be a JSON object"},
      {"jwt-server", "application/json", "{}", 422, "Field 'jwt_token' is required"},
      {"jwt-server", "application/json", R"({"jwt_token": 42})", 422, "Field 'jwt_token' must be a string"},
      {"jwt-server", "application/json", R"({"jwt_token": ""})", 422, "Field 'jwt_token' must not be empty"},
      {"jwt-server", "application/json", R"({"jwt_token": "a", "extra": 1})", 422,
       "Unknown field 'extra' (allowed: jwt_token)"},
      {"jwt-server", "application/json", jwt_body(make_jwt(now_s() - 60)), 400, "expired"},
      {"jwt-server", "application/json", jwt_body("not-a-jwt"), 400, "plugin manual_jwt (server jwt-server)"},
      {"open", "application/json", jwt_body(good), 400,
       "MCP server 'open' does not take a server-level JWT (auth type none)"},
      {"web", "application/json", jwt_body(good), 400,
       "MCP server 'web' does not take a server-level JWT (auth type oauth)"},
      {"oauth", "application/json", jwt_body(good), 400,
       "MCP server 'oauth' does not take a server-level JWT (auth type oauth)"},
      {"jwt-server", "application/json", jwt_body(std::string(70'000, 'a')), 413,
       "Request body too large (limit 65536 bytes)"},
  };
  for (const Case& c : cases) {
    INFO(c.server << " " << c.content_type << " " << c.body.substr(0, 60));
    HttpReply reply = http_request(api.port(), "POST", "/admin/mcp/" + c.server + "/jwt", {{"X-User-Email", kAdmin}},
                                   c.body, c.content_type);
    CHECK(reply.status == c.status);
    CHECK_THAT(reply.detail(), Catch::Contains(c.detail));
    CHECK_THAT(reply.body, !Catch::Contains(good));
  }
  CHECK(api.get("/admin/mcp/jwt/list", kAdmin).body ==
        R"({"servers":[],"count":0,"accepting":["jwt-server","shared","team"]})");
}

TEST_CASE("the JWT store of a server survives a restart when its storage is persistent") {
  TempDir dir("api-admin-sqlite");
  const std::string config = standard_config(R"("default_storage": {"plugin": "sqlite", "config": {"path": ")" +
                                             (dir / "tokens.db").string() + R"("}})");
  const std::string jwt = make_jwt(now_s() + 600);
  {
    ApiHarness api(config);
    REQUIRE(api.post_json("/admin/mcp/jwt-server/jwt", kAdmin, jwt_body(jwt)).status == 200);
  }
  ApiHarness restarted(config);
  CHECK(restarted.get("/admin/mcp/jwt-server/jwt", kAdmin).json()->getValue<bool>("has_jwt"));
}
