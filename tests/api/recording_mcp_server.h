// A small real HTTP server on 127.0.0.1 (Poco's, any free port) standing in for an MCP server
// behind the gateway: it records every request that reaches it, and answers as the JSON-RPC
// method of the request asks (GET and DELETE get "stream" and "json"):
//   "json"    200 application/json, with a session id, a protocol version, and headers the
//             gateway must not pass on (Set-Cookie, WWW-Authenticate, X-Upstream-Private)
//   "stream"  200 text/event-stream: a notification, then (once the test opens the gate) the answer
//   "cut"     200 text/event-stream: a notification, then the connection drops without the answer
//   "ticks"   200 text/event-stream: a notification every 20 ms for 10 s; notes when its reader
//             has gone (a write fails)
//   "refuse"  401 with WWW-Authenticate, whatever the credentials
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace mcpauth::test {

class RecordingMcpServer {
 public:
  struct Request {
    std::string method;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string header(const std::string& name) const;  // the first one; "" when absent
    bool has(const std::string& name) const;
  };

  RecordingMcpServer();
  ~RecordingMcpServer();

  uint16_t port() const;
  std::string url() const;  // http://127.0.0.1:<port>/mcp

  std::vector<Request> requests() const;
  // Lets the answers of "stream" requests go on.
  void open_gate();
  // Whether a "ticks" stream found its reader gone within the time.
  bool reader_left_within(std::chrono::milliseconds limit) const;

  // For the request handler.
  void record(Request request);
  bool wait_for_gate(std::chrono::milliseconds limit) const;
  void note_reader_left();

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<Request> requests_;
  bool gate_open_ = false;
  bool reader_left_ = false;
  Poco::ThreadPool pool_{1, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mcpauth::test
