// The server as a whole: health, metrics, unknown routes, the request log, TLS, the limits that
// keep slow or large clients from holding it, and shutdown.
#include "api_harness.h"
#include "group_service_stub.h"
#include "test_support.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

using namespace mcpauth::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> lines_with(const std::string& text, const std::string& part) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(part) != std::string::npos) out.push_back(line);
  return out;
}

// A connection that sends `bytes` and then nothing; true when the server closes it in time.
bool closed_within(uint16_t port, const std::string& bytes, std::chrono::seconds limit) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  if (!bytes.empty()) socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  socket.setReceiveTimeout(Poco::Timespan(limit.count(), 0));
  char buffer[4096];
  try {
    while (socket.receiveBytes(buffer, sizeof buffer) > 0) {
    }
    return true;
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Net::NetException&) {  // reset: closed too
    return true;
  }
}

}  // namespace

TEST_CASE("health, metrics and unknown routes") {
  ApiHarness api(standard_config());
  HttpReply health = api.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == R"({"status":"ok"})");
  CHECK(health.header("Content-Type") == "application/json");

  HttpReply unknown = api.get("/api/nothing", "alice@example.com");
  CHECK(unknown.status == 404);
  CHECK(unknown.body == R"({"detail":"Not Found"})");
  HttpReply wrong_method = http_request(api.port(), "PUT", "/admin/mcp/jwt-server/jwt", {}, "{}");
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.body == R"({"detail":"Method Not Allowed"})");
  CHECK(wrong_method.header("Allow") == "POST, GET, DELETE");
  CHECK(api.get("/assets/no-such-file.js").status == 404);
  // HEAD is answered as GET is, without the body.
  HttpReply head = raw_request(api.port(), "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(std::stoul(head.header("Content-Length")) > 100);

  api.get("/api/mcp/auth/status", "alice@example.com");
  api.get("/api/mcp/auth/status");
  HttpReply metrics = api.get("/metrics");
  CHECK(metrics.status == 200);
  CHECK_THAT(metrics.header("Content-Type"), Catch::StartsWith("text/plain; version=0.0.4"));
  for (const char* series :
       {R"(mcpauth_http_requests_total{route="/healthz",status="200"} 1)",
        R"(mcpauth_http_requests_total{route="unmatched",status="404"} 1)",
        R"(mcpauth_http_requests_total{route="/assets/*",status="404"} 1)",
        R"(mcpauth_http_requests_total{route="unmatched",status="405"} 1)",
        R"(mcpauth_http_requests_total{route="/api/mcp/auth/status",status="200"} 1)",
        R"(mcpauth_http_requests_total{route="/api/mcp/auth/status",status="401"} 1)",
        "# TYPE mcpauth_oauth_authorizations_started_total counter",
        "# TYPE mcpauth_oauth_authorizations_completed_total counter",
        "# TYPE mcpauth_oauth_authorizations_failed_total counter", "# TYPE mcpauth_plugin_events_total counter",
        // Counted by the test plugin of server "web" on each status read.
        R"(mcpauth_plugin_events_total{server="web",event="status_read"} )"})
    CHECK_THAT(metrics.body, Catch::Contains(series));
}

TEST_CASE("the web page is served with headers that keep it from being framed or fed other content") {
  ApiHarness api(standard_config());
  for (const char* page : {"/", "/admin"}) {
    INFO(page);
    HttpReply reply = api.get(page);
    CHECK(reply.status == 200);
    CHECK(reply.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(reply.header("Content-Security-Policy") ==
          "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    CHECK(reply.header("X-Content-Type-Options") == "nosniff");
    CHECK(reply.header("X-Frame-Options") == "DENY");
    CHECK(reply.header("Referrer-Policy") == "no-referrer");
  }
  for (const char* missing : {"/assets/", "/assets/../index.html", "/admin/", "/index.html"})
    CHECK(api.get(missing).status == 404);
}

TEST_CASE("one log line per request, and no token in any of them") {
  StderrCapture log;
  std::vector<std::string> secrets;
  {
    ApiHarness api(standard_config());
    const std::string jwt = make_jwt(now_s() + 600);
    secrets = {jwt, jwt.substr(jwt.rfind('.') + 1), "user-own-token-5f1e2d"};
    api.post_json("/admin/mcp/jwt-server/jwt", "root@example.com", R"({"jwt_token": ")" + jwt + R"("})");
    api.post_json("/admin/mcp/jwt-server/jwt", "root@example.com",
                  R"({"jwt_token": ")" + jwt.substr(0, jwt.rfind('.')) + R"("})");
    secrets.push_back(jwt.substr(jwt.find('.') + 1, jwt.rfind('.') - jwt.find('.') - 1));  // the claims
    api.post_json("/api/mcp/auth/shared/token", "alice@example.com", R"({"token": "user-own-token-5f1e2d"})");
    api.post_json("/api/mcp/auth/jwt-server/token", "alice@example.com", R"({"token": "user-own-token-5f1e2d"})");
    HttpReply started = api.get("/api/mcp/auth/web/oauth/start", "alice@example.com");
    const std::string location = started.header("Location");
    const std::string state = location.substr(location.find("state=") + 6, 32);
    const std::string cookie = started.header("Set-Cookie").substr(0, started.header("Set-Cookie").find(';'));
    secrets.push_back(state);
    secrets.push_back(cookie.substr(cookie.find('=') + 1));
    api.get("/api/mcp/auth/web/oauth/callback?code=good-code&state=" + state, "alice@example.com",
            {{"Cookie", cookie}});
    api.get("/api/mcp/auth/status?token=query-secret-7a7a", "bob@example.com");
    secrets.push_back("good-code");
    secrets.push_back("query-secret-7a7a");
    secrets.push_back("WEB-TEST-ACCESS-TOKEN-");
  }
  const std::string text = log.text();
  const std::vector<std::string> requests = lines_with(text, " info http: ");
  CHECK(requests.size() == 7);
  const std::regex shape(R"(\S+ info http: (GET|POST|DELETE) "/\S*" [0-9]{3} [0-9]+ms user=\S+)");
  for (const std::string& line : requests) {
    INFO(line);
    CHECK(std::regex_match(line, shape));
  }
  CHECK(lines_with(text, R"(POST "/admin/mcp/jwt-server/jwt" 200)").size() == 1);
  CHECK(lines_with(text, "user=root@example.com").size() == 2);
  CHECK(lines_with(text, R"(GET "/api/mcp/auth/status" 200)").front().ends_with("user=bob@example.com"));
  for (const std::string& secret : secrets) {
    INFO(secret);
    CHECK_THAT(text, !Catch::Contains(secret));
  }
}

TEST_CASE("a server whose plugins cannot be set up is reported, and the others still work") {
  StderrCapture log;
  ApiHarness api(standard_config());
  CHECK_THAT(log.text(), Catch::Contains("server 'broken'") && Catch::Contains("(the server is unavailable)"));
  HttpReply broken = api.get("/admin/mcp/broken/jwt", "root@example.com");
  CHECK(broken.status == 503);
  CHECK(broken.detail() ==
        "MCP server 'broken' is unavailable: its plugins could not be set up (see the server's log)");
  CHECK(api.get("/admin/mcp/jwt-server/jwt", "root@example.com").status == 200);
}

TEST_CASE("addresses it cannot listen on are refused with a clear error") {
  auto config = parse_config(standard_config());
  config.settings.listen = "not an address";
  CHECK_THROWS_WITH(mcpauth::api::ApiServer(config, test_plugins()),
                    Catch::Contains("listen address 'not an address' is not host:port"));
  Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
  config.settings.listen = "127.0.0.1:" + std::to_string(taken.address().port());
  CHECK_THROWS_WITH(mcpauth::api::ApiServer(config, test_plugins()), Catch::Contains("cannot listen on 127.0.0.1:"));
}

TEST_CASE("TLS: the server speaks HTTPS with the configured certificate") {
  TempDir dir("api-tls");
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  REQUIRE(run_command("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout " + key +
                      " -out " + cert + " 2>&1")
              .exit_code == 0);
  auto config =
      parse_config(standard_config(R"("tls": {"cert_file": ")" + cert + R"(", "key_file": ")" + key + R"("})"));
  config.settings.listen = "127.0.0.1:0";
  mcpauth::api::ApiServer server(config, test_plugins());
  server.start();
  CHECK(server.public_base_url() == "https://127.0.0.1:" + std::to_string(server.port()));

  Poco::Net::Context::Ptr client_context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_NONE);
  Poco::Net::HTTPSClientSession session("127.0.0.1", server.port(), client_context);
  Poco::Net::HTTPRequest request("GET", "/api/mcp/auth/web/oauth/start", Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("X-User-Email", "alice@example.com");
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  CHECK(response.getStatus() == 302);
  CHECK_THAT(response.get("Set-Cookie"), Catch::Contains("; secure"));

  HttpReply plain = raw_request(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(plain.status == 0);  // no HTTP answer to plain text on the TLS port

  // Unusable files: missing, a key that is not the certificate's, an encrypted key (no prompt).
  const std::string other_key = (dir / "other.pem").string(), locked_key = (dir / "locked.pem").string();
  REQUIRE(run_command("openssl genrsa -out " + other_key + " 2048 2>&1").exit_code == 0);
  REQUIRE(run_command("openssl rsa -in " + key + " -aes256 -passout pass:secret-pass -out " + locked_key + " 2>&1")
              .exit_code == 0);
  for (const std::string& bad_key : {(dir / "missing.pem").string(), other_key, locked_key}) {
    INFO(bad_key);
    config.settings.tls->key_file = bad_key;
    CHECK_THROWS_WITH(mcpauth::api::ApiServer(config, test_plugins()), Catch::Contains("cannot listen with TLS"));
  }
  config.settings.tls->key_file = key;
  config.settings.tls->cert_file = key;  // no certificate in it
  CHECK_THROWS_WITH(mcpauth::api::ApiServer(config, test_plugins()), Catch::Contains("cannot listen with TLS"));
}

TEST_CASE("limits: bodies, headers, slow and idle clients") {
  ApiHarness api(standard_config(
      R"("limits": {"max_body_bytes": 1024, "max_header_bytes": 2048, "max_connections": 2, "timeout_s": 1})"));
  const std::string admin = "X-User-Email: root@example.com\r\n";

  SECTION("a body over max_body_bytes") {
    HttpReply big = api.post_json("/admin/mcp/jwt-server/jwt", "root@example.com",
                                  R"({"jwt_token": ")" + std::string(2000, 'a') + R"("})");
    CHECK(big.status == 413);
    CHECK(big.detail() == "Request body too large (limit 1024 bytes)");
    // Announced but never sent: refused at once.
    HttpReply announced = raw_request(api.port(), "POST /admin/mcp/jwt-server/jwt HTTP/1.1\r\nHost: x\r\n" + admin +
                                                      "Content-Type: application/json\r\nContent-Length: "
                                                      "100000000\r\nConnection: close\r\n\r\n");
    CHECK(announced.status == 413);
    // Chunked: counted as it arrives.
    std::string chunks;
    for (int i = 0; i < 10; ++i) chunks += "200\r\n" + std::string(512, 'a') + "\r\n";
    HttpReply chunked = raw_request(api.port(), "POST /admin/mcp/jwt-server/jwt HTTP/1.1\r\nHost: x\r\n" + admin +
                                                    "Content-Type: application/json\r\nTransfer-Encoding: "
                                                    "chunked\r\nConnection: close\r\n\r\n" +
                                                    chunks + "0\r\n\r\n");
    CHECK(chunked.status == 413);
    CHECK(chunked.json());
  }
  SECTION("headers over max_header_bytes") {
    HttpReply reply = api.get("/api/mcp/auth/status", "alice@example.com", {{"X-Padding", std::string(2100, 'p')}});
    CHECK(reply.status == 431);
    CHECK(reply.detail() == "Request headers too large (limit 2048 bytes)");
  }
  SECTION("a body that trickles in is cut off after timeout_s") {
    const auto start = std::chrono::steady_clock::now();
    HttpReply slow = raw_request(api.port(), "POST /admin/mcp/jwt-server/jwt HTTP/1.1\r\nHost: x\r\n" + admin +
                                                 "Content-Type: application/json\r\nContent-Length: "
                                                 "100\r\nConnection: close\r\n\r\n{\"jwt");
    CHECK(slow.status == 408);
    CHECK(slow.detail() == "Request body did not arrive in time");
    CHECK(std::chrono::steady_clock::now() - start < 5s);
  }
  SECTION("connections that send nothing, or half a request, are closed") {
    CHECK(closed_within(api.port(), "", 5s));
    CHECK(closed_within(api.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 5s));
  }
  SECTION("idle clients holding every connection delay others only until timeout_s") {
    Poco::Net::StreamSocket idle1(Poco::Net::SocketAddress("127.0.0.1", api.port()));
    Poco::Net::StreamSocket idle2(Poco::Net::SocketAddress("127.0.0.1", api.port()));
    std::this_thread::sleep_for(100ms);
    const auto start = std::chrono::steady_clock::now();
    CHECK(api.get("/healthz").status == 200);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
  }
  CHECK(api.get("/healthz").status == 200);
}

TEST_CASE("stop lets a request in progress finish") {
  GroupServiceStub service({{"dev", {"carol@example.com"}}}, "k");
  service.set_behaviour(GroupServiceStub::Behaviour::slow);  // answers after 1.5 s
  ApiHarness api(standard_config(R"("group_service": {"url": ")" + service.url() + R"(", "api_key": "k"})"));
  auto pending = std::async(std::launch::async, [&] { return api.get("/api/mcp/auth/status", "carol@example.com"); });
  for (int i = 0; i < 500 && service.requests() == 0; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(service.requests() == 1);  // the request is being handled: it waits for the service
  api.server().stop();
  CHECK(pending.get().status == 200);
  CHECK_THROWS(api.get("/healthz"));  // no longer listening
}
