// The loopback callback server, driven by a real HTTP client on 127.0.0.1 and by pasted lines.
#include "mcpauth/core/loopback_callback.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <catch2/catch.hpp>

#include "test_support.h"

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <sstream>

using namespace mcpauth;
using namespace std::chrono_literals;

namespace {

const std::string kState = "s7aTe-0123456789abcdef";

struct Reply {
  int status;
  std::map<std::string, std::string> headers;
  std::string body;
};

Reply request(uint16_t port, const std::string& target, const std::string& method = "GET") {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest out(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(out);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply{response.getStatus(), {}, ""};
  for (const auto& [name, value] : response) reply.headers[name] = value;
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

// Counts the handler's calls and remembers the query it got.
struct RecordingHandler {
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::string query;

  core::CallbackHandler succeeding(std::string message) {
    return [this, message](const std::string& q) {
      record(q);
      return message;
    };
  }
  void record(const std::string& q) {
    ++calls;
    std::lock_guard lock(mutex);
    query = q;
  }
  std::string last_query() {
    std::lock_guard lock(mutex);
    return query;
  }
};

template <class T>
bool still_running(std::future<T>& waiting) {
  return waiting.wait_for(100ms) == std::future_status::timeout;
}

std::shared_ptr<std::istream> pasted(const std::string& lines) { return std::make_shared<std::istringstream>(lines); }

}  // namespace

TEST_CASE("the callback server listens on 127.0.0.1 and names its redirect URI") {
  core::LoopbackCallbackServer server(0);
  REQUIRE(server.port() != 0);
  const std::string port = std::to_string(server.port());
  CHECK(server.redirect_uri("127.0.0.1") == "http://127.0.0.1:" + port + "/callback");
  CHECK(server.redirect_uri("localhost") == "http://localhost:" + port + "/callback");
  CHECK_THROWS_AS(server.redirect_uri("0.0.0.0"), std::invalid_argument);
  CHECK_THROWS_AS(server.wait(
                      "", [](const std::string&) { return ""; }, 1s),
                  std::invalid_argument);
}

TEST_CASE("only the callback with the expected state reaches the handler, once") {
  core::LoopbackCallbackServer server(0);
  RecordingHandler handler;
  auto waiting = std::async(std::launch::async,
                            [&] { return server.wait(kState, handler.succeeding("signed in to 'demo'"), 20s); });

  Reply missing = request(server.port(), "/callback?code=abc");
  CHECK(missing.status == 400);
  CHECK_THAT(missing.body, Catch::Contains("not the sign-in mcpauth is waiting for"));
  Reply wrong = request(server.port(), "/callback?code=abc&state=other&error_description=%3Cscript%3Eevil");
  CHECK(wrong.status == 400);
  CHECK(wrong.body.find("evil") == std::string::npos);  // nothing the request carried is shown
  CHECK(wrong.body.find("other") == std::string::npos);
  Reply prefix = request(server.port(), "/callback?state=" + kState.substr(0, kState.size() - 1));
  CHECK(prefix.status == 400);
  CHECK(still_running(waiting));
  CHECK(handler.calls == 0);

  const std::string query = "code=abc%2Bdef&state=" + kState + "&iss=https%3A%2F%2Fas.example";
  Reply valid = request(server.port(), "/callback?" + query);
  CHECK(valid.status == 200);
  CHECK_THAT(valid.body, Catch::Contains("Signed in") && Catch::Contains("signed in to &#39;demo&#39;"));
  CHECK(valid.headers["X-Frame-Options"] == "DENY");
  CHECK(valid.headers["Cache-Control"] == "no-store");
  CHECK(valid.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'");
  CHECK(valid.headers["Referrer-Policy"] == "no-referrer");
  CHECK(valid.headers["Content-Type"] == "text/html; charset=utf-8");
  CHECK(waiting.get() == "signed in to 'demo'");
  CHECK(handler.calls == 1);
  CHECK(handler.last_query() == query);  // raw, not decoded

  Reply again = request(server.port(), "/callback?" + query);
  CHECK(again.status == 410);
  CHECK(again.headers["X-Frame-Options"] == "DENY");
  CHECK(handler.calls == 1);
}

TEST_CASE("the state is form-decoded: '+' is a space, %2B a plus") {
  core::LoopbackCallbackServer server(0);
  RecordingHandler handler;
  auto waiting = std::async(std::launch::async, [&] { return server.wait("a+b c", handler.succeeding("ok"), 20s); });
  CHECK(request(server.port(), "/callback?state=a+b+c").status == 400);
  CHECK(request(server.port(), "/callback?code=x&state=a%2Bb+c").status == 200);
  CHECK(waiting.get() == "ok");
  CHECK(handler.calls == 1);
}

TEST_CASE("the page escapes what the handler says") {
  core::LoopbackCallbackServer server(0);
  auto waiting = std::async(std::launch::async, [&] {
    return server.wait(
        kState, [](const std::string&) { return std::string("<script>alert(1)</script> & \"x\""); }, 20s);
  });
  Reply valid = request(server.port(), "/callback?state=" + kState);
  CHECK(valid.status == 200);
  CHECK(valid.body.find("<script>") == std::string::npos);
  CHECK_THAT(valid.body, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
  waiting.get();
}

TEST_CASE("a failing handler gives a failure page and wait rethrows its error") {
  core::LoopbackCallbackServer server(0);
  auto waiting = std::async(std::launch::async, [&] {
    return server.wait(
        kState, [](const std::string&) -> std::string { throw std::runtime_error("the server said <b>no</b>"); }, 20s);
  });
  Reply failed = request(server.port(), "/callback?error=access_denied&state=" + kState);
  CHECK(failed.status == 400);
  CHECK_THAT(failed.body,
             Catch::Contains("Sign-in failed") && Catch::Contains("the server said &lt;b&gt;no&lt;/b&gt;"));
  CHECK(failed.headers["Cache-Control"] == "no-store");
  CHECK_THROWS_WITH(waiting.get(), "the server said <b>no</b>");
}

TEST_CASE("other paths are 404, other methods 405, and neither ends the wait") {
  core::LoopbackCallbackServer server(0);
  RecordingHandler handler;
  auto waiting = std::async(std::launch::async, [&] { return server.wait(kState, handler.succeeding("ok"), 20s); });
  CHECK(request(server.port(), "/").status == 404);
  CHECK(request(server.port(), "/callback/x?state=" + kState).status == 404);
  CHECK(request(server.port(), "/favicon.ico").status == 404);
  Reply post = request(server.port(), "/callback?state=" + kState, "POST");
  CHECK(post.status == 405);
  CHECK(post.headers["Allow"] == "GET");
  CHECK(still_running(waiting));
  CHECK(handler.calls == 0);
  CHECK(request(server.port(), "/callback?state=" + kState).status == 200);
  CHECK(waiting.get() == "ok");
}

TEST_CASE("no callback within the timeout is an error, and a late one is turned away") {
  core::LoopbackCallbackServer server(0);
  RecordingHandler handler;
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(server.wait(kState, handler.succeeding("ok"), 1s),
                    "no answer from the browser within 1 s (run the command again; use --no-browser to paste the "
                    "redirect URL)");
  CHECK(std::chrono::steady_clock::now() - started >= 1s);
  CHECK(request(server.port(), "/callback?state=" + kState).status == 410);
  CHECK(handler.calls == 0);
  CHECK_THROWS_AS(server.wait(kState, handler.succeeding("ok"), 1s), std::logic_error);  // one-shot
}

TEST_CASE("a busy port is refused with an error naming it; a freed one can be taken again") {
  auto first = std::make_unique<core::LoopbackCallbackServer>(0);
  const uint16_t port = first->port();
  const std::string where = "127.0.0.1:" + std::to_string(port);
  CHECK_THROWS_AS(core::LoopbackCallbackServer(port), core::CallbackPortInUse);
  CHECK_THROWS_WITH(core::LoopbackCallbackServer(port), Catch::Contains(where) && Catch::Contains("in use"));

  // After a served sign-in the port may sit in TIME_WAIT; the next login must still get it.
  auto waiting = std::async(std::launch::async, [&] {
    return first->wait(
        kState, [](auto&) { return "ok"; }, 20s);
  });
  CHECK(request(port, "/callback?state=" + kState).status == 200);
  waiting.get();
  first.reset();
  core::LoopbackCallbackServer second(port);
  CHECK(second.port() == port);
}

TEST_CASE("paste mode takes the full redirect URL or its query, after lines that are not it") {
  const std::string query = "code=pasted&state=" + kState;
  const auto line =
      GENERATE_COPY(std::string("http://127.0.0.1:5555/callback?") + query + "#ignored", "  ?" + query + "  ", query);
  core::LoopbackCallbackServer server(0);
  RecordingHandler handler;
  test::StderrCapture log;
  const std::string leaked = "code=secret-looking&state=wrong-state";
  std::string result = server.wait(kState, handler.succeeding("pasted ok"), 20s,
                                   pasted("\n" + leaked + "\nhttp://127.0.0.1:5555/callback\n" + line + "\n"));
  CHECK(result == "pasted ok");
  CHECK(handler.calls == 1);
  CHECK(handler.last_query() == query);
  CHECK_THAT(log.text(), Catch::Contains("not the sign-in mcpauth is waiting for"));
  CHECK(log.text().find("secret-looking") == std::string::npos);
  CHECK(request(server.port(), "/callback?" + query).status == 410);  // the paste won
}

TEST_CASE("in paste mode the browser can still win") {
  core::LoopbackCallbackServer server(0);
  RecordingHandler handler;
  test::StderrCapture log;  // the warning about the pasted line
  auto waiting = std::async(std::launch::async, [&] {
    return server.wait(kState, handler.succeeding("ok"), 20s, pasted("not a callback\n"));
  });
  CHECK(request(server.port(), "/callback?code=browser&state=" + kState).status == 200);
  CHECK(waiting.get() == "ok");
  CHECK(handler.calls == 1);
  CHECK(handler.last_query() == "code=browser&state=" + kState);
}
