// core/mcp's upstream requests against a real server on 127.0.0.1 that sends scripted bytes:
// streaming, connection reuse, answers cut short, and the credential/challenge loop.
#include "scripted_server.h"
#include "test_support.h"
#include "wire_bytes.h"

#include "mcpauth/core/plugin_error.h"
#include "mcpauth/mcp/upstream.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>

using mcpauth::core::HeaderList;
using mcpauth::core::PluginError;
using mcpauth::mcp::Authentication;
using mcpauth::mcp::UpstreamRequest;
using mcpauth::test::chunk;
using mcpauth::test::has_header_line;
using mcpauth::test::kSseHead;
using mcpauth::test::ScriptedServer;
using namespace std::chrono_literals;

namespace {

UpstreamRequest post_to(const ScriptedServer& server,
                        std::string body = R"({"jsonrpc":"2.0","id":1,"method":"ping"})") {
  UpstreamRequest request;
  request.url = server.url();
  request.headers = {{"Content-Type", "application/json"}};
  request.body = std::move(body);
  request.read_timeout_ms = 5000;
  return request;
}

// Credentials that count what was asked of them, with scripted challenge answers.
struct CountingAuth {
  int credentials_calls = 0, challenges = 0, authorizations = 0;
  std::vector<int32_t> challenge_answers;  // in order; FAIL once they run out
  bool required_until_authorized = false;

  Authentication authentication() {
    Authentication auth;
    auth.credentials = [this]() -> HeaderList {
      ++credentials_calls;
      if (required_until_authorized && authorizations == 0)
        throw PluginError(MCPAUTH_ERR_AUTH_REQUIRED, "not signed in");
      return {{"Authorization", "Bearer t" + std::to_string(credentials_calls)}};
    };
    auth.challenge = [this](int, const std::string&) {
      const size_t index = static_cast<size_t>(challenges++);
      return index < challenge_answers.size() ? challenge_answers[index] : MCPAUTH_CHALLENGE_FAIL;
    };
    auth.authorize = [this] { ++authorizations; };
    return auth;
  }
};

}  // namespace

TEST_CASE("an SSE answer is handed over event by event, before the server has finished") {
  ScriptedServer server;
  std::promise<void> first_part_read;
  std::shared_future<void> first_part_seen = first_part_read.get_future().share();
  server.then({{kSseHead + chunk("data: {\"a\":1}\n\n")},
               {chunk("data: {\"b\":2}\n\n") + chunk(""), 0ms, false, [first_part_seen] {
                  // The second part is only sent once the client has read the first.
                  REQUIRE(first_part_seen.wait_for(5s) == std::future_status::ready);
                }}});
  auto response = mcpauth::mcp::send_upstream(post_to(server));
  CHECK(response->status() == 200);
  CHECK(response->header("content-type") == "text/event-stream");
  std::string piece;
  REQUIRE(response->read(piece));
  CHECK(piece == "data: {\"a\":1}\n\n");
  first_part_read.set_value();
  CHECK(response->read_all(1 << 20) == "data: {\"b\":2}\n\n");
  std::string after;
  CHECK_FALSE(response->read(after));
}

TEST_CASE("a connection whose answer was read completely is reused for the next request") {
  ScriptedServer server;
  server.then({{ScriptedServer::answer(200, "Content-Type: application/json\r\n", "{}")}});
  server.then({{ScriptedServer::answer(200, "Content-Type: application/json\r\n", "{}")}});
  CHECK(mcpauth::mcp::send_upstream(post_to(server))->read_all(100) == "{}");
  CHECK(mcpauth::mcp::send_upstream(post_to(server))->read_all(100) == "{}");
  auto received = server.received();
  REQUIRE(received.size() == 2);
  CHECK(received[0].client_port == received[1].client_port);
}

TEST_CASE("a pooled connection the server closed is replaced, and the request still goes through") {
  ScriptedServer server;
  // The first answer closes the connection without saying so (no "Connection: close").
  server.then({{ScriptedServer::answer(200, "", "one"), 0ms, true}});
  server.then({{ScriptedServer::answer(200, "", "two")}});
  CHECK(mcpauth::mcp::send_upstream(post_to(server))->read_all(100) == "one");
  std::this_thread::sleep_for(50ms);
  CHECK(mcpauth::mcp::send_upstream(post_to(server))->read_all(100) == "two");
  CHECK(server.received().size() == 2);
}

TEST_CASE("an answer cut short is an error, never a short answer") {
  ScriptedServer server;
  SECTION("in the middle of a chunked SSE stream") {
    server.then({{kSseHead + chunk("data: {\"a\":1}\n\n"), 50ms, true}});
    auto response = mcpauth::mcp::send_upstream(post_to(server));
    std::string piece;
    REQUIRE(response->read(piece));
    auto error = mcpauth::test::thrown_by<PluginError>([&] { response->read(piece); });
    CHECK(error.status() == MCPAUTH_ERR_NETWORK);
    CHECK_THAT(error.what(), Catch::Contains("127.0.0.1"));
  }
  SECTION("before Content-Length bytes arrived") {
    server.then({{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":", 50ms, true}});
    auto response = mcpauth::mcp::send_upstream(post_to(server));
    auto error = mcpauth::test::thrown_by<PluginError>([&] { response->read_all(1000); });
    CHECK(error.status() == MCPAUTH_ERR_NETWORK);
    CHECK_THAT(error.what(), Catch::Contains("closed before the answer was complete"));
  }
}

TEST_CASE("a server that stops sending times out after read_timeout_ms") {
  ScriptedServer server;
  server.then({{kSseHead + chunk("data: x\n\n"), 1500ms}});
  UpstreamRequest request = post_to(server);
  request.read_timeout_ms = 200;
  auto response = mcpauth::mcp::send_upstream(request);
  std::string piece;
  REQUIRE(response->read(piece));
  CHECK(mcpauth::test::thrown_by<PluginError>([&] { response->read(piece); }).status() == MCPAUTH_ERR_TIMEOUT);
}

TEST_CASE("unreachable servers and bad URLs are network errors that do not show the query") {
  UpstreamRequest request;
  request.url = "http://127.0.0.1:1/mcp?key=secret-value";
  auto error = mcpauth::test::thrown_by<PluginError>([&] { mcpauth::mcp::send_upstream(request); });
  CHECK(error.status() == MCPAUTH_ERR_NETWORK);
  CHECK_THAT(error.what(), !Catch::Contains("secret-value"));
  request.url = "ftp://example.com/mcp";
  CHECK(mcpauth::test::thrown_by<PluginError>([&] { mcpauth::mcp::send_upstream(request); }).status() ==
        MCPAUTH_ERR_NETWORK);
}

TEST_CASE("send_authenticated: a refused token is renewed and the request sent again") {
  ScriptedServer server;
  CountingAuth auth;
  const std::string unauthorized =
      ScriptedServer::answer(401, "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n", "{}");
  SECTION("RETRY sends again with the new credentials; the answer of the retry is returned") {
    auth.challenge_answers = {MCPAUTH_CHALLENGE_RETRY};
    server.then({{unauthorized}});
    server.then({{ScriptedServer::answer(200, "", "ok")}});
    auto response = mcpauth::mcp::send_authenticated(post_to(server), auth.authentication());
    CHECK(response->status() == 200);
    auto received = server.received();
    REQUIRE(received.size() == 2);
    CHECK(has_header_line(received[0].head, "Authorization: Bearer t1"));
    CHECK(has_header_line(received[1].head, "Authorization: Bearer t2"));
    CHECK(received[1].body == received[0].body);
    CHECK(auth.authorizations == 0);
  }
  SECTION("AUTHORIZE runs the authorization first") {
    auth.challenge_answers = {MCPAUTH_CHALLENGE_AUTHORIZE};
    server.then({{ScriptedServer::answer(403, "WWW-Authenticate: Bearer error=\"insufficient_scope\"\r\n", "")}});
    server.then({{ScriptedServer::answer(200, "", "ok")}});
    CHECK(mcpauth::mcp::send_authenticated(post_to(server), auth.authentication())->status() == 200);
    CHECK(auth.authorizations == 1);
  }
  SECTION("FAIL gives the refusal back") {
    server.then({{unauthorized}});
    CHECK(mcpauth::mcp::send_authenticated(post_to(server), auth.authentication())->status() == 401);
    CHECK(server.received().size() == 1);
  }
  SECTION("the loop ends after max_sends") {
    auth.challenge_answers = {MCPAUTH_CHALLENGE_RETRY, MCPAUTH_CHALLENGE_RETRY, MCPAUTH_CHALLENGE_RETRY};
    for (int i = 0; i < 3; ++i) server.then({{unauthorized}});
    CHECK(mcpauth::mcp::send_authenticated(post_to(server), auth.authentication(), 2)->status() == 401);
    CHECK(server.received().size() == 2);
  }
  SECTION("a user without credentials authorizes before the first send") {
    auth.required_until_authorized = true;
    server.then({{ScriptedServer::answer(200, "", "ok")}});
    CHECK(mcpauth::mcp::send_authenticated(post_to(server), auth.authentication())->status() == 200);
    CHECK(auth.authorizations == 1);
    CHECK(server.received().size() == 1);
  }
  SECTION("other answers are returned without asking the plugin") {
    server.then({{ScriptedServer::answer(404, "", "")}});
    CHECK(mcpauth::mcp::send_authenticated(post_to(server), auth.authentication())->status() == 404);
    CHECK(auth.challenges == 0);
  }
}
