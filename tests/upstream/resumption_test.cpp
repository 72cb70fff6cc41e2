// StreamableHttpTransport::post against a scripted server: an event stream that ends or breaks
// before the request's response is resumed with GET and Last-Event-ID (MCP 2025-11-25 lets a
// server close it once it has sent an event id), and what cannot be resumed is a clear error.
#include "scripted_server.h"
#include "test_support.h"
#include "wire_bytes.h"

#include "mcpauth/mcp/jsonrpc.h"
#include "mcpauth/mcp/streamable_http.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using mcpauth::mcp::TransportError;
using mcpauth::test::chunk;
using mcpauth::test::has_header_line;
using mcpauth::test::kLastChunk;
using mcpauth::test::kSseHead;
using mcpauth::test::ScriptedServer;
using namespace std::chrono_literals;

namespace {

const std::string kRequest = R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})";
const std::string kNotification = R"({"jsonrpc":"2.0","method":"notifications/message","params":{"data":"x"}})";
const std::string kResponse = R"({"jsonrpc":"2.0","id":1,"result":{"tools":[]}})";

std::string event(const std::string& fields) { return chunk(fields + "\n\n"); }

// A transport to the server that sends no credentials.
mcpauth::mcp::StreamableHttpTransport transport_to(const ScriptedServer& server) {
  mcpauth::mcp::Authentication none;
  none.credentials = [] { return mcpauth::core::HeaderList{}; };
  none.challenge = [](int, const std::string&) { return MCPAUTH_CHALLENGE_FAIL; };
  none.authorize = [] {};
  return mcpauth::mcp::StreamableHttpTransport(server.url(), none);
}

// Posts kRequest; the methods of the messages delivered ("result" for a response).
std::vector<std::string> post_request(mcpauth::mcp::StreamableHttpTransport& transport) {
  std::vector<std::string> delivered;
  transport.post(kRequest, [&](const Poco::JSON::Object::Ptr& message) {
    delivered.push_back(message->has("method") ? message->getValue<std::string>("method") : "result");
  });
  return delivered;
}

}  // namespace

TEST_CASE("a stream the server ends before the response is resumed after its retry wait") {
  ScriptedServer server;
  server.then(
      {{kSseHead + event("id: e1\nretry: 300\ndata: ") + event("id: e2\ndata: " + kNotification) + kLastChunk}});
  server.then({{kSseHead + event("id: e3\ndata: " + kResponse) + kLastChunk}});
  auto transport = transport_to(server);
  const auto start = std::chrono::steady_clock::now();
  CHECK(post_request(transport) == std::vector<std::string>{"notifications/message", "result"});
  CHECK(std::chrono::steady_clock::now() - start >= 300ms);
  const auto received = server.received();
  REQUIRE(received.size() == 2);
  CHECK(received[1].head.starts_with("GET /mcp "));
  CHECK(has_header_line(received[1].head, "Last-Event-ID: e2"));
  CHECK(has_header_line(received[1].head, "Accept: text/event-stream"));
}

TEST_CASE("a connection that breaks after an event id is resumed too") {
  ScriptedServer server;
  server.then({{kSseHead + event("retry: 0\nid: 7\ndata: " + kNotification), 0ms, true}});
  server.then({{kSseHead + event("data: " + kResponse) + kLastChunk}});
  auto transport = transport_to(server);
  CHECK(post_request(transport) == std::vector<std::string>{"notifications/message", "result"});
  REQUIRE(server.received().size() == 2);
  CHECK(has_header_line(server.received()[1].head, "Last-Event-ID: 7"));
}

TEST_CASE("a connection that breaks after the response costs nothing") {
  ScriptedServer server;
  server.then({{kSseHead + event("data: " + kResponse), 0ms, true}});
  auto transport = transport_to(server);
  CHECK(post_request(transport) == std::vector<std::string>{"result"});
  CHECK(server.received().size() == 1);
}

TEST_CASE("an answer that cannot be resumed, or will not be, is an error naming the server") {
  ScriptedServer server;
  auto transport = transport_to(server);
  SECTION("a stream without event ids") {
    server.then({{kSseHead + event("data: " + kNotification) + kLastChunk}});
    CHECK_THAT(
        mcpauth::test::thrown_by<TransportError>([&] { post_request(transport); }).what(),
        Catch::Contains("127.0.0.1") && Catch::Contains("without the response") && Catch::Contains("no event id"));
  }
  SECTION("a JSON answer without the response") {
    server.then({{ScriptedServer::answer(200, "Content-Type: application/json\r\n", kNotification)}});
    CHECK_THAT(mcpauth::test::thrown_by<TransportError>([&] { post_request(transport); }).what(),
               Catch::Contains("without the response") && !Catch::Contains("event id"));
  }
  SECTION("a resumption the server refuses") {
    server.then({{kSseHead + event("retry: 0\nid: 1\ndata: ") + kLastChunk}});
    server.then({{ScriptedServer::answer(405, "Content-Type: text/plain\r\n", "no streams here")}});
    const TransportError error = mcpauth::test::thrown_by<TransportError>([&] { post_request(transport); });
    CHECK(error.http_status() == 405);
    CHECK_THAT(error.what(), Catch::Contains("HTTP 405 to GET (resuming an answer): no streams here") &&
                                 Catch::Contains("before its response"));
  }
  SECTION("streams that bring nothing new, five times in a row") {
    server.then({{kSseHead + event("retry: 0\nid: 1\ndata: ") + kLastChunk}});
    for (int i = 0; i < 5; ++i) server.then({{kSseHead + event(": still thinking") + kLastChunk}});
    CHECK_THAT(mcpauth::test::thrown_by<TransportError>([&] { post_request(transport); }).what(),
               Catch::Contains("nothing new in 5 resumed streams"));
    CHECK(server.received().size() == 6);
  }
  SECTION("an event id that cannot go back in a header") {
    server.then({{kSseHead + event("retry: 0\nid: caf\xc3\xa9\ndata: ") + kLastChunk}});
    CHECK_THAT(mcpauth::test::thrown_by<TransportError>([&] { post_request(transport); }).what(),
               Catch::Contains("event id that cannot go back in Last-Event-ID"));
    CHECK(server.received().size() == 1);
  }
}
