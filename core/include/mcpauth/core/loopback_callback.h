// The host's side of the loopback authorization flow: a one-shot HTTP server on 127.0.0.1 that
// receives the browser's redirect (GET /callback?code=...&state=...), checks its state, and hands
// the raw query to a handler (the auth plugin's complete_authorization). In paste mode, lines
// read from a stream (the terminal) are accepted too, for browsers on another machine.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>

namespace Poco::Net {
class HTTPServer;
class ServerSocket;
}  // namespace Poco::Net

namespace mcpauth::core {

// The requested port is taken by another program.
class CallbackPortInUse : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Gets the raw query string of the valid callback; returns the message shown to the user on
// success, or throws a std::exception whose (secret-free) message is shown instead.
using CallbackHandler = std::function<std::string(const std::string& query)>;

class CallbackWaiter;

class LoopbackCallbackServer {
 public:
  // Listens on 127.0.0.1:port (0: a free port the system picks). Throws CallbackPortInUse when
  // the port is taken, std::runtime_error for other failures; both name the port.
  explicit LoopbackCallbackServer(uint16_t port);
  LoopbackCallbackServer(const LoopbackCallbackServer&) = delete;
  LoopbackCallbackServer& operator=(const LoopbackCallbackServer&) = delete;
  ~LoopbackCallbackServer();

  uint16_t port() const;
  // "http://<host>:<port>/callback"; host must be "127.0.0.1" or "localhost" (std::invalid_argument).
  std::string redirect_uri(const std::string& host) const;

  // Serves requests until the first callback carrying `state` has been handled, or until timeout
  // passes without one (std::runtime_error). Returns the handler's message, or rethrows what it
  // threw. A callback with a missing or different state is answered 400 and waiting goes on;
  // later valid ones get 410. With paste_input, its lines (a full redirect URL or just its query)
  // count too; whichever source delivers first wins. The reader thread shares ownership of the
  // stream and may stay blocked on it after wait returns (pass std::cin with a no-op deleter).
  // Callable once; the server keeps answering (400/410) until it is destroyed.
  std::string wait(const std::string& state, CallbackHandler handler, std::chrono::seconds timeout,
                   std::shared_ptr<std::istream> paste_input = nullptr);

 private:
  std::unique_ptr<Poco::Net::ServerSocket> socket_;
  std::shared_ptr<CallbackWaiter> waiter_;  // set by wait()
  // Declared last so it is destroyed first: it serves requests that use the members above.
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mcpauth::core
