// An HTTP server on 127.0.0.1 that answers each request with scripted raw bytes: what a real server
// does on the wire, including what well-behaved servers never do (stop in the middle of a chunked
// body, send fewer bytes than Content-Length). Connections are kept open between requests, so a
// test can see whether the client reused one.
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mcpauth::test {

class ScriptedServer {
 public:
  struct Step {
    std::string bytes;                   // written first
    std::chrono::milliseconds pause{0};  // then a wait
    bool hang_up = false;                // then the connection is closed
    std::function<void()> before = {};   // run before the bytes are written
  };
  using Script = std::vector<Step>;

  struct Received {
    std::string head;  // request line and headers
    std::string body;
    uint16_t client_port;
  };

  ScriptedServer();
  ~ScriptedServer();

  std::string url(const std::string& path = "/mcp") const;
  // The next request is answered with this script (requests without one get a 500).
  void then(Script script);
  std::vector<Received> received() const;

  // A complete answer: status line, headers, Content-Length, body.
  static std::string answer(int status, const std::string& headers, const std::string& body);

 private:
  void accept_loop();
  void serve(Poco::Net::StreamSocket socket);

  Poco::Net::ServerSocket listener_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::deque<Script> scripts_;
  std::vector<Received> received_;
  std::vector<std::thread> connections_;
  std::vector<Poco::Net::StreamSocket> open_sockets_;
  std::thread acceptor_;
};

}  // namespace mcpauth::test
