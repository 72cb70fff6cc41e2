// The host's HTTP client against a real HTTP server on 127.0.0.1.
#include "mcpauth/core/http_client.h"
#include "mcpauth/core/plugin_error.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace mcpauth;

namespace {

// Routes: /echo (method, body, Authorization back as headers), /big (2 MiB), /slow (3 s),
// /redirect-relative, /redirect-other-origin?to=PORT, /post-redirect (303).
// Requests being handled right now; the server waits for them before it stops, so no handler
// (the slow one, after a client timed out) runs on after the test's server is gone.
std::atomic<int> in_flight{0};

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    ++in_flight;
    struct Done {
      ~Done() { --in_flight; }
    } done;
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const std::string& path = request.getURI();
    if (path == "/echo") {
      response.set("X-Method", request.getMethod());
      response.set("X-Authorization", request.get("Authorization", "(none)"));
      response.send() << body;
    } else if (path == "/big") {
      response.send() << std::string(2 << 20, 'x');
    } else if (path == "/slow") {
      std::this_thread::sleep_for(std::chrono::seconds(3));
      response.send() << "late";
    } else if (path == "/redirect-relative") {
      response.redirect("echo", Poco::Net::HTTPResponse::HTTP_FOUND);
    } else if (path.starts_with("/redirect-other-origin?to=")) {
      response.redirect("http://127.0.0.1:" + path.substr(path.find('=') + 1) + "/echo",
                        Poco::Net::HTTPResponse::HTTP_TEMPORARY_REDIRECT);
    } else if (path == "/post-redirect") {
      response.redirect("/echo", Poco::Net::HTTPResponse::HTTP_SEE_OTHER);
    } else {
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      response.send() << "not found";
    }
  }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler;
  }
};

// A real server on 127.0.0.1, on a port the system picks.
class TestServer {
 public:
  TestServer()
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new Factory, socket_, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~TestServer() {
    for (int i = 0; i < 500 && in_flight > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server_.stopAll(false);
  }
  uint16_t port() const { return socket_.address().port(); }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }

 private:
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

sdk::HttpRequest request(const std::string& url, const std::string& method = "GET", const std::string& body = "") {
  sdk::HttpRequest out;
  out.url = url;
  out.method = method;
  out.body = body;
  return out;
}

int32_t status_of_failure(const sdk::HttpRequest& r) {
  try {
    core::http_fetch(r);
  } catch (const core::PluginError& e) {
    return e.status();
  }
  return MCPAUTH_OK;
}

}  // namespace

TEST_CASE("a request and its answer") {
  TestServer server;
  sdk::HttpRequest post = request(server.url("/echo"), "POST", "grant_type=x");
  post.headers = {{"Authorization", "Bearer abc"}, {"Content-Type", "application/x-www-form-urlencoded"}};
  sdk::HttpResponse response = core::http_fetch(post);
  CHECK(response.status == 200);
  CHECK(response.body == "grant_type=x");
  CHECK(response.header("x-method") == "POST");
  CHECK(response.header("X-Authorization") == "Bearer abc");
  CHECK(core::http_fetch(request(server.url("/nothing"))).status == 404);
}

TEST_CASE("redirects: returned unless asked for, relative Locations resolved, credentials kept in-origin only") {
  TestServer server, other;
  sdk::HttpRequest relative = request(server.url("/redirect-relative"));
  relative.headers = {{"Authorization", "Bearer abc"}};
  CHECK(core::http_fetch(relative).status == 302);  // max_redirects 0: the redirect itself

  relative.max_redirects = 3;
  sdk::HttpResponse followed = core::http_fetch(relative);
  CHECK(followed.status == 200);
  CHECK(followed.final_url == server.url("/echo"));
  CHECK(followed.header("X-Authorization") == "Bearer abc");

  sdk::HttpRequest cross = request(server.url("/redirect-other-origin?to=" + std::to_string(other.port())));
  cross.headers = {{"Authorization", "Bearer abc"}};
  cross.max_redirects = 3;
  sdk::HttpResponse crossed = core::http_fetch(cross);
  CHECK(crossed.status == 200);
  CHECK(crossed.header("X-Authorization") == "(none)");

  sdk::HttpRequest see_other = request(server.url("/post-redirect"), "POST", "payload");
  see_other.max_redirects = 1;
  sdk::HttpResponse after = core::http_fetch(see_other);
  CHECK(after.header("X-Method") == "GET");
  CHECK(after.body.empty());
}

TEST_CASE("limits: response size and time") {
  TestServer server;
  sdk::HttpRequest big = request(server.url("/big"));
  big.max_response_bytes = 1 << 20;
  CHECK(status_of_failure(big) == MCPAUTH_ERR_NETWORK);
  CHECK_THROWS_WITH(core::http_fetch(big), Catch::Contains("larger than 1048576 bytes"));

  sdk::HttpRequest slow = request(server.url("/slow"));
  slow.timeout_ms = 300;
  auto start = std::chrono::steady_clock::now();
  CHECK(status_of_failure(slow) == MCPAUTH_ERR_TIMEOUT);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("connection failures and bad URLs are network errors without the query string") {
  uint16_t closed_port;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    closed_port = probe.address().port();
  }
  sdk::HttpRequest refused = request("http://127.0.0.1:" + std::to_string(closed_port) + "/token?code=SECRET123");
  CHECK(status_of_failure(refused) == MCPAUTH_ERR_NETWORK);
  try {
    core::http_fetch(refused);
  } catch (const core::PluginError& e) {
    CHECK(std::string(e.what()).find("SECRET123") == std::string::npos);
  }
  CHECK(status_of_failure(request("ftp://127.0.0.1/x")) == MCPAUTH_ERR_NETWORK);
  CHECK(status_of_failure(request("not a url")) == MCPAUTH_ERR_NETWORK);
}
