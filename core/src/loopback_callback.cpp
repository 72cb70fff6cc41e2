#include "mcpauth/core/loopback_callback.h"

#include "callback_page.h"
#include "callback_query.h"
#include "callback_waiter.h"
#include "mcpauth/core/log.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <cerrno>
#include <future>
#include <thread>

namespace mcpauth::core {
namespace {

using Poco::Net::HTTPResponse;

void send_page(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, std::string_view heading,
               std::string_view message) {
  const std::string page = render_callback_page(heading, message);
  response.setStatusAndReason(status);
  response.setContentType("text/html; charset=utf-8");
  response.set("X-Frame-Options", "DENY");
  response.set("Cache-Control", "no-store");
  response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  response.set("Referrer-Policy", "no-referrer");
  response.sendBuffer(page.data(), page.size());
}

// Nothing a request carries is ever put into a page: only the handler's own message is.
class CallbackRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit CallbackRequestHandler(std::shared_ptr<CallbackWaiter> waiter) : waiter_(std::move(waiter)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    const std::string& target = request.getURI();
    const size_t question = target.find('?');
    if (target.substr(0, question) != "/callback")
      return send_page(response, HTTPResponse::HTTP_NOT_FOUND, "Not found", "There is nothing here.");
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET) {
      response.set("Allow", "GET");
      return send_page(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "Method not allowed",
                       "Only GET is accepted here.");
    }
    const std::string query = question == std::string::npos ? "" : target.substr(question + 1);
    switch (waiter_->claim(query)) {
      case CallbackWaiter::Claim::wrong_state:
        return send_page(response, HTTPResponse::HTTP_BAD_REQUEST, "Unexpected sign-in",
                         "This is not the sign-in mcpauth is waiting for. If you started one, use the link the "
                         "terminal printed last.");
      case CallbackWaiter::Claim::gone:
        return send_page(response, HTTPResponse::HTTP_GONE, "Sign-in already handled",
                         "mcpauth is no longer waiting for this sign-in. You can close this tab.");
      case CallbackWaiter::Claim::won:
        break;
    }
    CallbackWaiter::Outcome outcome = waiter_->handle(query);
    try {
      if (outcome.succeeded)
        send_page(response, HTTPResponse::HTTP_OK, "Signed in", outcome.message);
      else
        send_page(response, HTTPResponse::HTTP_BAD_REQUEST, "Sign-in failed",
                  outcome.message + " (the terminal has the details)");
    } catch (const std::exception&) {  // the browser went away: the outcome counts all the same
    }
    waiter_->publish(std::move(outcome));  // after the page went out: the server may stop as soon as this returns
  }

 private:
  std::shared_ptr<CallbackWaiter> waiter_;
};

class CallbackHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit CallbackHandlerFactory(std::shared_ptr<CallbackWaiter> waiter) : waiter_(std::move(waiter)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new CallbackRequestHandler(waiter_);
  }

 private:
  std::shared_ptr<CallbackWaiter> waiter_;
};

// Reads pasted lines until one is the callback, the wait is over, or the input ends.
void read_pasted_callbacks(std::shared_ptr<CallbackWaiter> waiter, std::shared_ptr<std::istream> input) {
  std::string line;
  while (waiter->waiting() && std::getline(*input, line)) {
    std::optional<std::string> query = query_of_pasted_line(line);
    if (!query) continue;
    switch (waiter->claim(*query)) {
      case CallbackWaiter::Claim::wrong_state:
        log(LogLevel::warn, "callback",
            "that line is not the sign-in mcpauth is waiting for: paste the whole address the browser shows after "
            "signing in");
        continue;
      case CallbackWaiter::Claim::gone:
        return;
      case CallbackWaiter::Claim::won:
        waiter->publish(waiter->handle(*query));
        return;
    }
  }
}

Poco::Net::HTTPServerParams* server_params() {
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(false);  // one request per connection: nothing lingers once the sign-in is done
  params->setMaxThreads(4);
  params->setMaxQueued(16);
  params->setTimeout(Poco::Timespan(10, 0));
  return params;
}

}  // namespace

LoopbackCallbackServer::LoopbackCallbackServer(uint16_t port) : socket_(std::make_unique<Poco::Net::ServerSocket>()) {
  try {
    // SO_REUSEADDR lets the port of the last sign-in be reused while it is in TIME_WAIT; without
    // SO_REUSEPORT, a port another program listens on is still refused.
    socket_->bind(Poco::Net::SocketAddress("127.0.0.1", port), true, false);
    socket_->listen();
  } catch (const Poco::Exception& e) {
    const std::string where = "cannot listen for the sign-in callback on 127.0.0.1:" + std::to_string(port);
    if (e.code() == EADDRINUSE) throw CallbackPortInUse(where + ": the port is already in use");
    throw std::runtime_error(where + ": " + e.displayText());
  }
}

LoopbackCallbackServer::~LoopbackCallbackServer() {
  if (!server_) return;
  const Poco::Net::SocketAddress self("127.0.0.1", port());
  // Poco's acceptor polls its socket with a 250 ms timeout and checks for a stop only between
  // polls: connecting to it wakes it at once, which makes every login exit 250 ms sooner.
  std::future<void> stopped = std::async(std::launch::async, [this] { server_->stopAll(true); });
  while (stopped.wait_for(std::chrono::milliseconds(2)) == std::future_status::timeout) {
    try {
      Poco::Net::StreamSocket wake(self);
    } catch (const Poco::Exception&) {  // already closed: the acceptor is on its way out
    }
  }
  stopped.get();
}

uint16_t LoopbackCallbackServer::port() const { return socket_->address().port(); }

std::string LoopbackCallbackServer::redirect_uri(const std::string& host) const {
  // With "localhost" the browser may try ::1 first; it falls back to 127.0.0.1, where we listen.
  if (host != "127.0.0.1" && host != "localhost")
    throw std::invalid_argument("the callback host must be \"127.0.0.1\" or \"localhost\"");
  return "http://" + host + ":" + std::to_string(port()) + "/callback";
}

std::string LoopbackCallbackServer::wait(const std::string& state, CallbackHandler handler,
                                         std::chrono::seconds timeout, std::shared_ptr<std::istream> paste_input) {
  if (waiter_) throw std::logic_error("LoopbackCallbackServer::wait may be called only once");
  if (state.empty()) throw std::invalid_argument("the expected callback state is empty");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  waiter_ = std::make_shared<CallbackWaiter>(state, std::move(handler));
  server_ = std::make_unique<Poco::Net::HTTPServer>(new CallbackHandlerFactory(waiter_), *socket_, server_params());
  server_->start();
  // Detached: it may stay blocked on the terminal after the browser won; it owns all it uses.
  if (paste_input) std::thread(read_pasted_callbacks, waiter_, std::move(paste_input)).detach();

  std::optional<CallbackWaiter::Outcome> outcome = waiter_->await(deadline);
  if (!outcome)
    throw std::runtime_error("no answer from the browser within " + std::to_string(timeout.count()) +
                             " s (run the command again; use --no-browser to paste the redirect URL)");
  if (outcome->error) std::rethrow_exception(outcome->error);
  return outcome->message;
}

}  // namespace mcpauth::core
