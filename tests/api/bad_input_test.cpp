// Requests no well-behaved client sends. Every one gets a 4xx answer with a JSON body, nothing
// is stored, and the server stays up.
#include "api_harness.h"

#include <catch2/catch.hpp>

using namespace mcpauth::test;

namespace {

struct BadRequest {
  std::string name;
  int status;                // the answer expected
  std::string request_line;  // "POST /path HTTP/1.1"
  std::string headers;       // extra header lines, each ending in \r\n
  std::string body;
  bool add_length = true;  // a Content-Length header for a non-empty body, unless the headers have one
};

const std::string kAdmin = "X-User-Email: root@example.com\r\n";
const std::string kAlice = "X-User-Email: alice@example.com\r\n";
const std::string kJson = "Content-Type: application/json\r\n";

std::string build(const BadRequest& r) {
  std::string out = r.request_line + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + r.headers;
  if (r.add_length && !r.body.empty() && r.headers.find("Transfer-Encoding") == std::string::npos &&
      r.headers.find("Content-Length") == std::string::npos)
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  return out + "\r\n" + r.body;
}

std::vector<BadRequest> bad_requests() {
  const std::string upload = "POST /admin/mcp/jwt-server/jwt HTTP/1.1";
  const std::string user_upload = "POST /api/mcp/auth/shared/token HTTP/1.1";
  std::string deep(200, '[');
  return {
      // Bodies
      {"malformed JSON", 400, upload, kAdmin + kJson, R"({"jwt_token": )"},
      {"trailing garbage", 400, upload, kAdmin + kJson, R"({"jwt_token": "a"} {})"},
      {"a JSON array", 422, upload, kAdmin + kJson, R"(["jwt_token"])"},
      {"a JSON string", 400, upload, kAdmin + kJson, R"("jwt_token")"},
      {"JSON nested 200 deep", 400, upload, kAdmin + kJson, deep + std::string(200, ']')},
      {"an empty body", 400, upload, kAdmin + kJson + "Content-Length: 0\r\n", ""},
      {"a body without length", 400, upload, kAdmin + kJson, R"({"jwt_token": "a.b.c"})", false},
      {"a UTF-16 body", 400, upload, kAdmin + kJson, std::string("\xff\xfe{\0\"\0", 6)},
      {"invalid UTF-8 in the token", 400, upload, kAdmin + kJson, "{\"jwt_token\": \"\xff\xfe\xfd\"}"},
      {"a NUL in the token", 422, upload, kAdmin + kJson, R"({"jwt_token": "abc\u0000def"})"},
      {"a newline in the token", 422, upload, kAdmin + kJson, R"({"jwt_token": "abc\ndef"})"},
      {"the token as a number", 422, upload, kAdmin + kJson, R"({"jwt_token": 12345})"},
      {"the token as null", 422, upload, kAdmin + kJson, R"({"jwt_token": null})"},
      {"the token as a list", 422, upload, kAdmin + kJson, R"({"jwt_token": ["a"]})"},
      {"no token field", 422, upload, kAdmin + kJson, R"({"token": "abc"})"},
      {"an extra field", 422, upload, kAdmin + kJson, R"({"jwt_token": "a.b.c", "admin": true})"},
      {"a repeated field", 400, upload, kAdmin + kJson, R"({"jwt_token": "a.b.c", "jwt_token": "d.e.f"})"},
      {"a huge announced body", 413, upload, kAdmin + kJson + "Content-Length: 999999999\r\n", ""},
      {"a huge body", 413, upload, kAdmin + kJson, R"({"jwt_token": ")" + std::string(100'000, 'x') + R"("})"},
      {"a huge chunked body", 413, upload, kAdmin + kJson + "Transfer-Encoding: chunked\r\n",
       "10000\r\n" + std::string(65536, 'x') + "\r\n10\r\n" + std::string(16, 'x') + "\r\n0\r\n\r\n"},
      {"a broken chunked body", 400, upload, kAdmin + kJson + "Transfer-Encoding: chunked\r\n",
       "zz\r\n{\"jwt_token\": \"a\"}\r\n0\r\n\r\n"},
      {"no content type", 415, upload, kAdmin, R"({"jwt_token": "a.b.c"})"},
      {"a form instead of JSON", 415, upload, kAdmin + "Content-Type: application/x-www-form-urlencoded\r\n",
       "jwt_token=a.b.c"},
      {"JSON with a lookalike type", 415, upload, kAdmin + "Content-Type: application/jsonp\r\n",
       R"({"jwt_token": "a"})"},
      {"expires_at far away", 422, user_upload, kAlice + kJson, R"({"token": "abc", "expires_at": 1e300})"},
      {"expires_at as text", 422, user_upload, kAlice + kJson, R"({"token": "abc", "expires_at": "soon"})"},
      {"scopes as an object", 422, user_upload, kAlice + kJson, R"({"token": "abc", "scopes": {}})"},
      {"a token of spaces", 422, user_upload, kAlice + kJson, R"({"token": "   "})"},
      // Paths
      {"dot segments", 404, "GET /admin/mcp/../mcp/jwt-server/jwt HTTP/1.1", kAdmin, ""},
      {"encoded dots", 404, "GET /admin/mcp/%2e%2e/jwt HTTP/1.1", kAdmin, ""},
      {"an encoded slash", 404, "GET /admin/mcp/jwt-server%2Fjwt/jwt HTTP/1.1", kAdmin, ""},
      {"an encoded server name", 404, "GET /admin/mcp/jwt%2Dserver/jwt HTTP/1.1", kAdmin, ""},
      {"an encoded NUL", 404, "GET /api/mcp/auth/jwt-server%00/token HTTP/1.1", kAlice, ""},
      {"a raw NUL", 404, "DELETE /api/mcp/auth/jwt-server" + std::string(1, '\0') + "x/token HTTP/1.1", kAlice, ""},
      {"a backslash", 404, "GET /admin\\mcp\\jwt-server\\jwt HTTP/1.1", kAdmin, ""},
      {"an overlong name", 404, "GET /admin/mcp/" + std::string(65, 'a') + "/jwt HTTP/1.1", kAdmin, ""},
      {"an empty segment", 404, "GET /admin/mcp//jwt HTTP/1.1", kAdmin, ""},
      {"a trailing slash", 404, "GET /api/mcp/auth/status/ HTTP/1.1", kAlice, ""},
      {"a doubled slash", 404, "GET //api/mcp/auth/status HTTP/1.1", kAlice, ""},
      {"an absolute target", 404, "GET http://127.0.0.1/api/mcp/auth/status HTTP/1.1", kAlice, ""},
      {"a name starting with a dot", 404, "GET /admin/mcp/.hidden/jwt HTTP/1.1", kAdmin, ""},
      {"non-ASCII in the path", 404, "GET /admin/mcp/j\xc3\xa9t/jwt HTTP/1.1", kAdmin, ""},
      // Methods
      {"PUT", 405, "PUT /admin/mcp/jwt-server/jwt HTTP/1.1", kAdmin + kJson, R"({"jwt_token": "a"})"},
      {"TRACE", 405, "TRACE /api/mcp/auth/status HTTP/1.1", kAlice, ""},
      {"an invented method", 405, "BREW /healthz HTTP/1.1", "", ""},
      // Headers
      {"two identities", 401, upload, "X-User-Email: alice@example.com\r\n" + kAdmin + kJson, R"({"jwt_token": "a"})"},
      {"an identity folded over two lines", 403, upload,
       "X-User-Email: alice@example.com\r\n root@example.com\r\n" + kJson, R"({"jwt_token": "a"})"},
      {"a control character in the identity", 401, upload, "X-User-Email: root@example.com\x7f\r\n" + kJson,
       R"({"jwt_token": "a"})"},
      {"headers over the limit", 431, "GET /api/mcp/auth/status HTTP/1.1",
       kAlice + "X-A: " + std::string(8000, 'a') + "\r\nX-B: " + std::string(8000, 'b') +
           "\r\nX-C: " + std::string(8000, 'c') + "\r\n",
       ""},
      {"a callback without identity", 401, "GET /api/mcp/auth/web/oauth/callback?code=x&state=y HTTP/1.1", "", ""},
  };
}

}  // namespace

TEST_CASE("bad input gets a 4xx JSON answer and changes nothing") {
  ApiHarness api(standard_config());
  for (const BadRequest& bad : bad_requests()) {
    INFO(bad.name);
    HttpReply reply = raw_request(api.port(), build(bad));
    CHECK(reply.status == bad.status);
    auto body = reply.json();
    REQUIRE(body);
    CHECK(body->get("detail").isString());
    CHECK(reply.header("Content-Type") == "application/json");
  }
  CHECK(api.get("/healthz").status == 200);
  CHECK(api.get("/admin/mcp/jwt/list", "root@example.com").body ==
        R"({"servers":[],"count":0,"accepting":["jwt-server","shared","team"]})");
  auto servers = api.get("/api/mcp/auth/status", "alice@example.com").json()->getArray("servers");
  for (size_t i = 0; i < servers->size(); ++i) {
    INFO(servers->getObject(i)->getValue<std::string>("server_name"));
    auto entry = servers->getObject(i);
    CHECK((!entry->getValue<bool>("auth_required") || !entry->getValue<bool>("authenticated")));
  }
}
