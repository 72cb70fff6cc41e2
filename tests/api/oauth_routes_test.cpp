// The server-side OAuth routes: start and callback with the web_flow_test plugin (its own pretend
// authorization server), and oauth21 pointed at a server that does not answer.
#include "api_harness.h"

#include <Poco/URI.h>

#include <catch2/catch.hpp>

#include <regex>

using namespace mcpauth::test;

namespace {

const std::string kAlice = "alice@example.com";

struct Started {
  std::string state;
  std::string cookie;  // "mcpauth_session=<value>"
};

std::string query_param(const std::string& url, const std::string& name) {
  for (const auto& [key, value] : Poco::URI(url).getQueryParameters())
    if (key == name) return value;
  return "";
}

// GET .../oauth/start as the user; the state from the authorize URL, and the session cookie.
Started start(const ApiHarness& api, const std::string& user, const std::string& server = "web",
              const std::string& cookie = "") {
  HeaderList headers;
  if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
  HttpReply reply = api.get("/api/mcp/auth/" + server + "/oauth/start", user, headers);
  REQUIRE(reply.status == 302);
  Started out{query_param(reply.header("Location"), "state"), cookie};
  const std::string set_cookie = reply.header("Set-Cookie");
  if (!set_cookie.empty()) out.cookie = set_cookie.substr(0, set_cookie.find(';'));
  REQUIRE(!out.state.empty());
  return out;
}

HttpReply callback(const ApiHarness& api, const std::string& user, const std::string& query, const std::string& cookie,
                   const std::string& server = "web") {
  HeaderList headers;
  if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
  return api.get("/api/mcp/auth/" + server + "/oauth/callback?" + query, user, headers);
}

std::string error_location(const std::string& server, const std::string& code) {
  return "/?mcp_auth_server=" + server + "&mcp_auth_error=" + code;
}

bool signed_in(const ApiHarness& api, const std::string& user, const std::string& server) {
  auto servers = api.get("/api/mcp/auth/status", user).json()->getArray("servers");
  for (size_t i = 0; i < servers->size(); ++i)
    if (servers->getObject(i)->getValue<std::string>("server_name") == server)
      return servers->getObject(i)->getValue<bool>("authenticated");
  return false;
}

}  // namespace

TEST_CASE("start sends the browser to the authorization server with a session cookie") {
  ApiHarness api(standard_config());
  HttpReply reply = api.get("/api/mcp/auth/web/oauth/start", kAlice, {{"Host", "evil.example"}});
  REQUIRE(reply.status == 302);
  const std::string location = reply.header("Location");
  CHECK(location.starts_with("https://as.invalid/authorize?state="));
  // The callback address comes from the configuration, never from the Host header.
  CHECK(query_param(location, "redirect_uri") == api.server().public_base_url() + "/api/mcp/auth/web/oauth/callback");
  CHECK(reply.header("Cache-Control") == "no-store");
  const std::string cookie = reply.header("Set-Cookie");
  CHECK(std::regex_match(cookie, std::regex("mcpauth_session=[0-9a-f]{64}; .*")));
  CHECK_THAT(cookie, Catch::Contains("; path=/") && Catch::Contains("; HttpOnly") &&
                         Catch::Contains("; SameSite=Lax") && !Catch::Contains("ecure"));

  // A browser that has the cookie keeps it.
  const std::string session = cookie.substr(0, cookie.find(';'));
  HttpReply second = api.get("/api/mcp/auth/web/oauth/start", kAlice, {{"Cookie", session}});
  CHECK(second.status == 302);
  CHECK(second.header("Set-Cookie").empty());
}

TEST_CASE("a callback with the state, code and cookie of the start signs the user in, once") {
  ApiHarness api(standard_config());
  Started started = start(api, kAlice);
  HttpReply done = callback(api, kAlice, "code=good-code&state=" + started.state, started.cookie);
  CHECK(done.status == 302);
  CHECK(done.header("Location") == "/?mcp_auth_server=web&mcp_auth_success=1");
  CHECK(signed_in(api, kAlice, "web"));
  CHECK_FALSE(signed_in(api, "bob@example.com", "web"));

  HttpReply replayed = callback(api, kAlice, "code=good-code&state=" + started.state, started.cookie);
  CHECK(replayed.header("Location") == error_location("web", "invalid_state"));

  const std::string metrics = api.get("/metrics").body;
  CHECK_THAT(metrics, Catch::Contains("mcpauth_oauth_authorizations_started_total 1\n"));
  CHECK_THAT(metrics, Catch::Contains("mcpauth_oauth_authorizations_completed_total 1\n"));
  CHECK_THAT(metrics, Catch::Contains("mcpauth_oauth_authorizations_failed_total{reason=\"invalid_state\"} 1\n"));

  CHECK(api.del("/api/mcp/auth/web/token", kAlice).status == 200);
  CHECK_FALSE(signed_in(api, kAlice, "web"));
}

TEST_CASE("callbacks that do not belong to the sign-in are refused") {
  ApiHarness api(standard_config("\"ui_redirect\": \"/app?tab=mcp#servers\""));
  auto location = [](const std::string& code) {
    return "/app?tab=mcp&mcp_auth_server=web&mcp_auth_error=" + code + "#servers";
  };

  SECTION("unknown state") {
    Started started = start(api, kAlice);
    CHECK(callback(api, kAlice, "code=good-code&state=0123abcd", started.cookie).header("Location") ==
          location("invalid_state"));
  }
  SECTION("another browser's session") {
    Started started = start(api, kAlice);
    Started other = start(api, kAlice);  // a second browser: its own cookie
    CHECK(callback(api, kAlice, "code=good-code&state=" + started.state, other.cookie).header("Location") ==
          location("invalid_state"));
    // The state was used up by the attempt.
    CHECK(callback(api, kAlice, "code=good-code&state=" + started.state, started.cookie).header("Location") ==
          location("invalid_state"));
  }
  SECTION("another user") {
    Started started = start(api, kAlice);
    CHECK(
        callback(api, "bob@example.com", "code=good-code&state=" + started.state, started.cookie).header("Location") ==
        location("invalid_state"));
    CHECK_FALSE(signed_in(api, "bob@example.com", "web"));
    CHECK_FALSE(signed_in(api, kAlice, "web"));
  }
  SECTION("another server") {
    Started started = start(api, kAlice);
    HttpReply reply = callback(api, kAlice, "code=good-code&state=" + started.state, started.cookie, "oauth");
    CHECK(reply.header("Location") == "/app?tab=mcp&mcp_auth_server=oauth&mcp_auth_error=invalid_state#servers");
  }
  SECTION("no session cookie") {
    Started started = start(api, kAlice);
    CHECK(callback(api, kAlice, "code=good-code&state=" + started.state, "").header("Location") ==
          location("session_unavailable"));
    // Not used up: the browser that has the cookie can still finish.
    CHECK(callback(api, kAlice, "code=good-code&state=" + started.state, started.cookie).header("Location") ==
          "/app?tab=mcp&mcp_auth_server=web&mcp_auth_success=1#servers");
    CHECK(api.del("/api/mcp/auth/web/token", kAlice).status == 200);
  }
  SECTION("missing or malformed parameters") {
    Started started = start(api, kAlice);
    for (const std::string& query :
         std::vector<std::string>{"", "code=good-code", "state=" + started.state, "state=&code=good-code",
                                  "code=good-code&state=%zz", "code=a&code=b&state=" + started.state}) {
      INFO(query);
      CHECK(callback(api, kAlice, query, started.cookie).header("Location") == location("missing_params"));
    }
  }
  SECTION("the authorization server's error, if it is a standard one") {
    Started started = start(api, kAlice);
    CHECK(callback(api, kAlice, "error=access_denied&state=" + started.state, started.cookie).header("Location") ==
          location("access_denied"));
    Started again = start(api, kAlice, "web", started.cookie);
    CHECK(callback(api, kAlice, "error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=" + again.state, started.cookie)
              .header("Location") == location("unknown_error"));
  }
  SECTION("a code the token endpoint refuses") {
    Started started = start(api, kAlice);
    CHECK(callback(api, kAlice, "code=bad-code&state=" + started.state, started.cookie).header("Location") ==
          location("token_exchange_failed"));
  }
  CHECK_FALSE(signed_in(api, kAlice, "web"));
}

TEST_CASE("start is refused to users outside the server's groups, and for servers without OAuth") {
  ApiHarness api(standard_config());
  HttpReply outsider = api.get("/api/mcp/auth/team/oauth/start", "bob@example.com");
  CHECK(outsider.status == 403);
  CHECK(outsider.detail() == "Not authorized to access server 'team'");
  HttpReply none = api.get("/api/mcp/auth/open/oauth/start", kAlice);
  CHECK(none.status == 400);
  CHECK(none.detail() == "server 'open' has no browser sign-in (auth plugin none)");
  CHECK(api.get("/api/mcp/auth/nope/oauth/start", kAlice).status == 404);
  CHECK(api.get("/api/mcp/auth/broken/oauth/start", kAlice).status == 503);
  CHECK(api.get("/api/mcp/auth/web/oauth/start").status == 401);
}

TEST_CASE("an OAuth server that cannot be reached sends the browser back with discovery_failed") {
  ApiHarness api(standard_config());
  HttpReply reply = api.get("/api/mcp/auth/oauth/oauth/start", kAlice);
  CHECK(reply.status == 302);
  CHECK(reply.header("Location") == error_location("oauth", "discovery_failed"));
  CHECK_THAT(api.get("/metrics").body,
             Catch::Contains("mcpauth_oauth_authorizations_failed_total{reason=\"discovery_failed\"} 1\n"));
}

TEST_CASE("the session cookie is Secure when browsers reach the server over https") {
  ApiHarness api(standard_config(R"("public_base_url": "https://mcpauth.example.com/")"));
  CHECK(api.server().public_base_url() == "https://mcpauth.example.com");
  HttpReply reply = api.get("/api/mcp/auth/web/oauth/start", kAlice);
  CHECK_THAT(reply.header("Set-Cookie"), Catch::Contains("; secure"));
  CHECK(query_param(reply.header("Location"), "redirect_uri") ==
        "https://mcpauth.example.com/api/mcp/auth/web/oauth/callback");
}
