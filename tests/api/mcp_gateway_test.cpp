// The MCP gateway (POST, GET, DELETE /mcp/{server}) where no MCP server is needed, or where a small
// recording HTTP server (recording_mcp_server.h) shows what reaches the server and how answers come
// back, and a scripted one (tests/upstream/scripted_server.h) the refusals that make the oauth21
// plugin fail. The gateway in front of real MCP servers is tested end to end (tests/e2e/gateway.test.mjs).
#include "api_harness.h"
#include "recording_mcp_server.h"
#include "scripted_server.h"
#include "test_support.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <istream>
#include <memory>
#include <thread>

using namespace mcpauth::test;
using namespace std::chrono_literals;

namespace {

const std::string kAlice = "alice@example.com";
const std::string kBob = "bob@example.com";
const std::string kToolsList = R"({"jsonrpc":"2.0","id":7,"method":"tools/list"})";

// A configuration whose servers reach the recording server: "upstream" takes each user's own
// bearer token; "legacy" and "local" use transports the gateway does not forward.
std::string gateway_config(const RecordingMcpServer& upstream, const std::string& settings = "") {
  const std::string url = "\"" + upstream.url() + "\"";
  return R"({"mcpauth": {"user_groups": {"alice@example.com": ["dev"], "bob@example.com": []})" +
         (settings.empty() ? "" : ", " + settings) + "}," +                                 //
         R"("upstream": {"auth_type": "bearer", "url": )" + url + "}," +                    //
         R"("legacy": {"auth_type": "bearer", "transport": "sse", "url": )" + url + "}," +  //
         R"("local": {"transport": "stdio", "command": "/bin/true"}})";
}

std::string rpc(const std::string& method) { return R"({"jsonrpc":"2.0","id":"req-1","method":")" + method + R"("})"; }

void save_token(const ApiHarness& api, const std::string& user, const std::string& token, HeaderList headers = {}) {
  REQUIRE(api.post_json("/api/mcp/auth/upstream/token", user, R"({"token": ")" + token + R"("})", headers).status ==
          200);
}

// The error object of a JSON-RPC error answer.
Poco::JSON::Object::Ptr rpc_error(const HttpReply& reply) {
  Poco::JSON::Object::Ptr body = reply.json();
  REQUIRE(body);
  CHECK(body->getValue<std::string>("jsonrpc") == "2.0");
  Poco::JSON::Object::Ptr error = body->getObject("error");
  REQUIRE(error);
  return error;
}

// A POST whose answer is read as it arrives.
class StreamingCall {
 public:
  StreamingCall(uint16_t port, const std::string& target, const std::string& user, const std::string& body)
      : session_("127.0.0.1", port) {
    session_.setTimeout(Poco::Timespan(5, 0));  // much less than the recording server waits for its gate
    Poco::Net::HTTPRequest request("POST", target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("X-User-Email", user);
    request.set("Accept", "application/json, text/event-stream");
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session_.sendRequest(request) << body;
    body_ = &session_.receiveResponse(response_);
  }

  const Poco::Net::HTTPResponse& response() const { return response_; }
  // The next event's lines, up to the blank line that ends it (blank lines before it are no
  // event); what arrived when the stream ends or nothing comes for 5 s.
  std::string next_event() {
    std::string event, line;
    while (std::getline(*body_, line)) {
      if (line.empty() && !event.empty()) return event;
      if (!line.empty()) event += line + "\n";
    }
    return event;
  }
  std::string rest() {
    std::string text;
    Poco::StreamCopier::copyToString(*body_, text);
    return text;
  }
  void hang_up() { session_.abort(); }

 private:
  Poco::Net::HTTPClientSession session_;
  Poco::Net::HTTPResponse response_;
  std::istream* body_ = nullptr;
};

uint16_t unused_port() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
  return socket.address().port();  // closed again when the socket goes
}

// "scoped": an oauth21 server (plugin_config: its settings) at the scripted server.
std::string oauth_config(const ScriptedServer& upstream, const std::string& plugin_config) {
  return R"({"scoped": {"url": ")" + upstream.url() + R"(", "auth": {"plugin": "oauth21", "config": )" + plugin_config +
         "}}}";
}

// The MCP server's refusal with this Bearer challenge.
ScriptedServer::Script refusal(int status, const std::string& challenge) {
  return {{ScriptedServer::answer(status, "WWW-Authenticate: Bearer " + challenge + "\r\n", "{}")}};
}

// A 401 whose resource metadata is on a host that is down: oauth21 cannot discover its
// authorization server, a network error.
ScriptedServer::Script refusal_with_unreachable_metadata() {
  return refusal(401, R"(error="invalid_token", resource_metadata="http://127.0.0.1:)" + std::to_string(unused_port()) +
                          R"(/.well-known/oauth-protected-resource")");
}

// The gateway's warning about the plugin's failure names the server, not the secret.
void check_credentials_warning(const StderrCapture& log, const std::string& secret) {
  CHECK_THAT(log.text(), Catch::Contains("warn gateway: server 'scoped': credentials for alice@example.com: ") &&
                             !Catch::Contains(secret));
}

// The answer and the log line when the plugin could not obtain credentials for "scoped" (id 7).
void check_credentials_unavailable(const HttpReply& reply, const StderrCapture& log, const std::string& secret) {
  CHECK(reply.status == 502);
  CHECK(reply.body == R"({"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"Credentials for MCP server )"
                      R"('scoped' could not be obtained; try again later","data":{"server_name":"scoped"}}})");
  check_credentials_warning(log, secret);
}

}  // namespace

TEST_CASE("the gateway checks the user, the server and the groups as the other per-user routes do") {
  ApiHarness api(standard_config());
  auto post = [&](const std::string& server, const std::string& user) {
    return api.post_json("/mcp/" + server, user, kToolsList);
  };
  CHECK(post("nope", kAlice).status == 404);
  CHECK(post("nope", kAlice).detail() == "MCP server 'nope' not found in configuration");
  CHECK(post("off", kAlice).detail() == "MCP server 'off' is disabled in configuration");
  CHECK(post("web", "").status == 401);
  CHECK(post("web", "").detail() == "Not authenticated: missing user identity");
  CHECK(post("team", kBob).status == 403);
  CHECK(post("team", kBob).detail() == "Not authorized to access server 'team'");
  CHECK(post("broken", kAlice).status == 503);
  CHECK(api.get("/mcp/nope", kAlice).status == 404);
  CHECK(api.del("/mcp/off", kAlice).status == 404);

  HttpReply head = http_request(api.port(), "HEAD", "/mcp/web", {{"X-User-Email", kAlice}});
  CHECK(head.status == 405);
  CHECK(head.header("Allow") == "POST, GET, DELETE");
  HttpReply put = http_request(api.port(), "PUT", "/mcp/web", {{"X-User-Email", kAlice}}, kToolsList);
  CHECK(put.status == 405);
  CHECK(put.header("Allow") == "POST, GET, DELETE");

  CHECK_THAT(api.get("/metrics").body,
             Catch::Contains(R"(mcpauth_http_requests_total{route="/mcp/{server}",status="404"})"));
}

TEST_CASE("servers of other transports are refused, not forwarded") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream));
  HttpReply legacy = api.post_json("/mcp/legacy", kAlice, kToolsList);
  CHECK(legacy.status == 400);
  CHECK(
      legacy.detail() ==
      "MCP server 'legacy' uses transport 'sse': the gateway forwards only Streamable HTTP servers (transport 'http')");
  CHECK(api.get("/mcp/local", kAlice).detail() ==
        "MCP server 'local' uses transport 'stdio': the gateway forwards only Streamable HTTP servers (transport "
        "'http')");
  CHECK(upstream.requests().empty());
}

TEST_CASE("a user without credentials is told where to sign in, in a JSON-RPC error") {
  ApiHarness api(standard_config());
  const std::string base = api.server().public_base_url();

  HttpReply web = api.post_json("/mcp/web", kAlice, kToolsList);
  CHECK(web.status == 401);
  CHECK(web.header("Content-Type") == "application/json");
  CHECK(web.header("WWW-Authenticate").empty());
  CHECK(web.body == R"({"jsonrpc":"2.0","id":7,"error":{"code":-32001,"message":"Authorization required for MCP )"
                    R"(server 'web'","data":{"auth_required":true,"server_name":"web","oauth_start_url":")" +
                        base + R"(/api/mcp/auth/web/oauth/start"}}})");

  // oauth21 (its server unreachable: not asked, the user has no tokens); a string id comes back.
  HttpReply oauth = api.post_json("/mcp/oauth", kAlice, R"({"jsonrpc":"2.0","id":"abc","method":"tools/list"})");
  CHECK(oauth.status == 401);
  CHECK(oauth.json()->get("id") == "abc");
  CHECK(rpc_error(oauth)->getObject("data")->getValue<std::string>("oauth_start_url") ==
        base + "/api/mcp/auth/oauth/oauth/start");

  // A JWT server has no sign-in: the answer says what gives it a token. No id: null.
  HttpReply jwt = api.post_json("/mcp/jwt-server", kAlice, R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  CHECK(jwt.status == 401);
  CHECK(jwt.json()->get("id").isEmpty());
  Poco::JSON::Object::Ptr data = rpc_error(jwt)->getObject("data");
  CHECK(data->getValue<bool>("auth_required"));
  CHECK_FALSE(data->has("oauth_start_url"));
  CHECK(data->getValue<std::string>("detail") ==
        "An admin must upload a JWT for server 'jwt-server' (POST /admin/mcp/jwt-server/jwt), or the user must save "
        "their own token (POST /api/mcp/auth/jwt-server/token)");
}

TEST_CASE("only the message's headers reach the MCP server, with the user's own credentials") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream, R"("proxy_secret": "proxy-secret-4711")"));
  const HeaderList proxy = {{"X-Proxy-Secret", "proxy-secret-4711"}};
  save_token(api, kBob, "bobs-upstream-token", proxy);

  HttpReply reply = api.post_json("/mcp/upstream", kBob, rpc("json"),
                                  {{"X-Proxy-Secret", "proxy-secret-4711"},
                                   {"Authorization", "Bearer callers-own-token"},
                                   {"Cookie", "mcpauth_session=browser-cookie"},
                                   {"Accept", "application/json, text/event-stream"},
                                   {"Mcp-Session-Id", "session-42"},
                                   {"MCP-Protocol-Version", "2025-06-18"},
                                   {"Last-Event-ID", "event-9"},
                                   {"X-Forwarded-For", "10.0.0.1"}});
  REQUIRE(upstream.requests().size() == 1);
  const RecordingMcpServer::Request seen = upstream.requests()[0];
  CHECK(seen.method == "POST");
  CHECK(seen.body == rpc("json"));
  CHECK(seen.header("Authorization") == "Bearer bobs-upstream-token");
  CHECK(seen.header("Content-Type") == "application/json");
  CHECK(seen.header("Accept") == "application/json, text/event-stream");
  CHECK(seen.header("Mcp-Session-Id") == "session-42");
  CHECK(seen.header("MCP-Protocol-Version") == "2025-06-18");
  CHECK(seen.header("Last-Event-ID") == "event-9");
  for (const char* name : {"Cookie", "X-User-Email", "X-Proxy-Secret", "X-Forwarded-For"}) {
    INFO(name);
    CHECK_FALSE(seen.has(name));
  }

  CHECK(reply.status == 200);
  CHECK(reply.body == R"({"jsonrpc":"2.0","id":"req-1","result":{"text":"json answer"}})");
  CHECK(reply.header("Content-Type") == "application/json");
  CHECK(reply.header("Mcp-Session-Id") == "session-from-upstream");
  CHECK(reply.header("MCP-Protocol-Version") == "2025-06-18");
  for (const char* name : {"Set-Cookie", "WWW-Authenticate", "X-Upstream-Private"}) {
    INFO(name);
    CHECK(reply.header(name).empty());
  }

  // DELETE ends the session upstream; its answer comes back the same way.
  HttpReply deleted =
      api.del("/mcp/upstream", kBob, {{"X-Proxy-Secret", "proxy-secret-4711"}, {"Mcp-Session-Id", "session-42"}});
  CHECK(deleted.status == 200);
  REQUIRE(upstream.requests().size() == 2);
  CHECK(upstream.requests()[1].method == "DELETE");
  CHECK(upstream.requests()[1].header("Mcp-Session-Id") == "session-42");
  CHECK(upstream.requests()[1].header("Authorization") == "Bearer bobs-upstream-token");
}

TEST_CASE("message bodies up to 4 MiB are forwarded, larger ones refused") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream));
  save_token(api, kAlice, "alices-token");
  // Past the API's own limit (64 KiB), within the gateway's.
  const std::string big =
      R"({"jsonrpc":"2.0","id":1,"method":"json","params":{"text":")" + std::string(1 << 20, 'x') + "\"}}";
  CHECK(api.post_json("/mcp/upstream", kAlice, big).status == 200);
  REQUIRE(upstream.requests().size() == 1);
  CHECK(upstream.requests()[0].body == big);

  HttpReply too_large = api.post_json("/mcp/upstream", kAlice, std::string((4 << 20) + 1, ' '));
  CHECK(too_large.status == 413);
  CHECK(too_large.detail() == "Request body too large (limit 4194304 bytes)");
  CHECK(upstream.requests().size() == 1);
}

TEST_CASE("an event stream reaches the client piece by piece, as the MCP server sends it") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream));
  save_token(api, kAlice, "alices-token");

  StreamingCall call(api.port(), "/mcp/upstream", kAlice, rpc("stream"));
  CHECK(call.response().getStatus() == 200);
  CHECK(call.response().getContentType() == "text/event-stream");
  CHECK(call.response().getChunkedTransferEncoding());
  CHECK(call.response().get("Mcp-Session-Id") == "session-from-upstream");
  // The server holds its answer back until the gate opens: the first event must come without it.
  CHECK(call.next_event() ==
        "event: message\ndata: "
        R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"first"}})"
        "\n");
  upstream.open_gate();
  CHECK(call.next_event() ==
        "event: message\ndata: "
        R"({"jsonrpc":"2.0","id":"req-1","result":{"text":"streamed answer"}})"
        "\n");
  CHECK(call.rest().empty());
}

TEST_CASE("a stream the MCP server cuts before its answer ends with an error for the request") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream));
  save_token(api, kAlice, "alices-token");

  StreamingCall call(api.port(), "/mcp/upstream", kAlice, rpc("cut"));
  CHECK(call.response().getStatus() == 200);
  CHECK_THAT(call.next_event(), Catch::Contains("\"first\""));
  CHECK(call.next_event() ==
        "event: message\ndata: "
        R"({"jsonrpc":"2.0","id":"req-1","error":{"code":-32000,"message":"MCP server 'upstream' closed the stream )"
        R"(before answering"}})"
        "\n");
  CHECK(call.rest().empty());
  // The gateway is fine afterwards.
  CHECK(api.post_json("/mcp/upstream", kAlice, rpc("json")).status == 200);
}

TEST_CASE("when the client leaves mid-stream, the gateway lets go of the MCP server's stream") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream));
  save_token(api, kAlice, "alices-token");
  {
    StreamingCall call(api.port(), "/mcp/upstream", kAlice, rpc("ticks"));
    CHECK_THAT(call.next_event(), Catch::Contains("\"first\""));
    call.hang_up();
  }
  CHECK(upstream.reader_left_within(5000ms));
  CHECK(api.get("/healthz").status == 200);
}

TEST_CASE("credentials the MCP server still refuses after the plugin's turn mean: authorize first") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream));
  save_token(api, kAlice, "alices-token");
  HttpReply reply = api.post_json("/mcp/upstream", kAlice, rpc("refuse"));
  CHECK(reply.status == 401);
  CHECK(reply.header("WWW-Authenticate").empty());
  Poco::JSON::Object::Ptr error = rpc_error(reply);
  CHECK(error->getValue<int>("code") == -32001);
  CHECK(error->getObject("data")->getValue<std::string>("server_name") == "upstream");
  CHECK(reply.json()->getValue<std::string>("id") == "req-1");
}

TEST_CASE("an MCP server that cannot be reached is a 502 naming the server, not its address") {
  const std::string config =
      R"({"closed": {"url": "http://127.0.0.1:)" + std::to_string(unused_port()) + R"(/mcp?key=url-secret-1"}})";
  ApiHarness api(config);
  StderrCapture log;
  HttpReply reply = api.post_json("/mcp/closed", kAlice, kToolsList);
  CHECK_THAT(log.text(), Catch::Contains("server 'closed'") && !Catch::Contains("url-secret-1"));
  CHECK(reply.status == 502);
  CHECK(reply.body == R"({"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"MCP server 'closed' could not be )"
                      R"(reached","data":{"server_name":"closed"}}})");
}

TEST_CASE("server-initiated streams may take half of the connections, no more") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream, R"("limits": {"max_connections": 2})"));
  save_token(api, kAlice, "alices-token");

  Poco::Net::HTTPClientSession first("127.0.0.1", api.port());
  first.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest get("GET", "/mcp/upstream", Poco::Net::HTTPMessage::HTTP_1_1);
  get.set("X-User-Email", kAlice);
  get.set("Accept", "text/event-stream");
  first.sendRequest(get);
  Poco::Net::HTTPResponse open;
  std::istream& stream = first.receiveResponse(open);
  CHECK(open.getStatus() == 200);
  CHECK(open.getContentType() == "text/event-stream");

  HttpReply second = api.get("/mcp/upstream", kAlice, {{"Accept", "text/event-stream"}});
  CHECK(second.status == 405);
  CHECK(second.header("Allow") == "POST, DELETE");
  CHECK(upstream.requests().size() == 1);

  upstream.open_gate();
  std::string rest;
  Poco::StreamCopier::copyToString(stream, rest);
  CHECK_THAT(rest, Catch::Contains("streamed answer"));
  CHECK(api.get("/mcp/upstream", kAlice, {{"Accept", "text/event-stream"}}).status == 200);
}

// A client that hangs up is noticed at once, not at the server's next byte (or after 300 s): its
// stream's thread comes free, here seen as room for another stream.
TEST_CASE("a client hanging up on a quiet stream lets go of it at once") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream, R"("limits": {"max_connections": 2})"));  // one stream at a time
  save_token(api, kAlice, "alices-token");
  const auto open_stream = [&](Poco::Net::HTTPClientSession& session) {
    Poco::Net::HTTPRequest get("GET", "/mcp/upstream", Poco::Net::HTTPMessage::HTTP_1_1);
    get.set("X-User-Email", kAlice);
    get.set("Accept", "text/event-stream");
    session.sendRequest(get);
    Poco::Net::HTTPResponse head;
    session.receiveResponse(head);
    return head.getStatus();
  };
  Poco::Net::HTTPClientSession first("127.0.0.1", api.port());
  REQUIRE(open_stream(first) == 200);
  Poco::Net::HTTPClientSession refused("127.0.0.1", api.port());
  REQUIRE(open_stream(refused) == 405);  // the one stream is taken
  first.abort();                         // the server stays quiet: only the hang-up can free it
  const auto hung_up = std::chrono::steady_clock::now();
  int status = 405;
  while (status == 405 && std::chrono::steady_clock::now() - hung_up < 5s) {
    std::this_thread::sleep_for(50ms);
    Poco::Net::HTTPClientSession next("127.0.0.1", api.port());
    status = open_stream(next);
  }
  CHECK(status == 200);
  upstream.open_gate();  // lets the second stream end
}

TEST_CASE("a quiet stream outlives the server's per-request timeouts") {
  RecordingMcpServer upstream;
  ApiHarness api(gateway_config(upstream, R"("limits": {"timeout_s": 1})"));
  save_token(api, kAlice, "alices-token");
  StreamingCall call(api.port(), "/mcp/upstream", kAlice, rpc("stream"));
  CHECK_THAT(call.next_event(), Catch::Contains("\"first\""));
  std::this_thread::sleep_for(2500ms);  // nothing on either connection for more than timeout_s
  upstream.open_gate();
  CHECK_THAT(call.next_event(), Catch::Contains("streamed answer"));
}

TEST_CASE("stopping serve does not wait for an MCP server that has not answered yet") {
  // Takes connections and reads nothing, answers nothing: the gateway waits for an answer's head.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string url = "http://127.0.0.1:" + std::to_string(silent.address().port()) + "/mcp";
  ApiHarness api(R"({"mcpauth": {"limits": {"timeout_s": 60}}, "upstream": {"auth_type": "bearer", "url": ")" + url +
                 R"("}})");
  save_token(api, kAlice, "alices-token");
  auto pending = std::async(std::launch::async, [&] {
    try {
      return api.post_json("/mcp/upstream", kAlice, kToolsList).status;
    } catch (const std::exception&) {
      return 0;  // the connection closed without an answer: as good
    }
  });
  Poco::Net::StreamSocket held = silent.acceptConnection();  // the gateway's request reached the server
  std::this_thread::sleep_for(200ms);
  const auto start = std::chrono::steady_clock::now();
  api.server().stop();
  CHECK(std::chrono::steady_clock::now() - start < 10s);  // not the 60 s of timeout_s, nor the 300 s read timeout
  const int status = pending.get();
  CHECK((status == 0 || status == 502));
}

// MCPAUTH_ERR_DENIED from the plugin (here oauth21 giving up on step-ups) is a 403, not a sign-in.
TEST_CASE("an MCP server whose scope the plugin gave up on is a 403 naming the server") {
  ScriptedServer upstream;
  ApiHarness api(oauth_config(upstream, R"({"max_step_up": 1})"));
  REQUIRE(api.post_json("/api/mcp/auth/scoped/token", kAlice, R"({"token": "alices-oauth-token-4711"})").status == 200);
  const std::string insufficient_scope = R"(error="insufficient_scope", scope="admin")";
  upstream.then(refusal(403, insufficient_scope));
  upstream.then(refusal(403, insufficient_scope));
  // oauth21 first asks the user to authorize again for the scope (a step-up), ...
  CHECK(rpc_error(api.post_json("/mcp/scoped", kAlice, kToolsList))->getValue<int>("code") == -32001);
  // ... then, past max_step_up, refuses with MCPAUTH_ERR_DENIED.
  StderrCapture log;
  HttpReply reply = api.post_json("/mcp/scoped", kAlice, rpc("tools/call"));
  REQUIRE(upstream.received().size() == 2);
  CHECK_THAT(upstream.received()[1].head, Catch::Contains("Authorization: Bearer alices-oauth-token-4711"));
  CHECK(reply.status == 403);
  CHECK(reply.body == R"({"jsonrpc":"2.0","id":"req-1","error":{"code":-32000,"message":"MCP server 'scoped' denies )"
                      R"(access to this user; its auth plugin gave up","data":{"server_name":"scoped"}}})");
  check_credentials_warning(log, "alices-oauth-token-4711");
}

// Any other plugin error while answering the server's challenge (here discovery failing) is a 502.
TEST_CASE("a network error of the plugin answering a challenge is a 502: try again later, not sign in") {
  ScriptedServer upstream;
  ApiHarness api(oauth_config(upstream, "{}"));
  REQUIRE(api.post_json("/api/mcp/auth/scoped/token", kAlice, R"({"token": "alices-oauth-token-4711"})").status == 200);
  upstream.then(refusal_with_unreachable_metadata());
  StderrCapture log;
  HttpReply reply = api.post_json("/mcp/scoped", kAlice, kToolsList);
  REQUIRE(upstream.received().size() == 1);
  CHECK_THAT(upstream.received()[0].head, Catch::Contains("Authorization: Bearer alices-oauth-token-4711"));
  check_credentials_unavailable(reply, log, "alices-oauth-token-4711");
}

// The same while getting credentials: a service account's first tokens need discovery, which the
// MCP server's challenge to the plugin's probe leads to a host that is down.
TEST_CASE("a network error of the plugin getting credentials is a 502, and the request is not sent") {
  ScriptedServer upstream;
  ApiHarness api(oauth_config(
      upstream, R"({"grant": "client_credentials", "client_id": "svc", "client_secret": "client-secret-4711"})"));
  upstream.then(refusal_with_unreachable_metadata());
  StderrCapture log;
  HttpReply reply = api.post_json("/mcp/scoped", kAlice, kToolsList);
  REQUIRE(upstream.received().size() == 1);  // the plugin's probe, never the client's message
  CHECK_THAT(upstream.received()[0].body, Catch::Contains(R"("method":"initialize")"));
  check_credentials_unavailable(reply, log, "client-secret-4711");
}
