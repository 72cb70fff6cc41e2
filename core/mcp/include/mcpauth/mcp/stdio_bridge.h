// The core of `mcpauth proxy`: MCP's stdio transport (one JSON-RPC message per line) on one side,
// an HTTP transport to the server on the other, so that a client that only speaks stdio can use a
// remote server that needs authorization. Messages pass through as they are; the bridge only
// keeps the session alive: it opens the server's own stream, and when the server has forgotten
// the session it initializes a new one with the client's initialize request and sends again.
#pragma once

#include "mcpauth/mcp/transport.h"

#include <condition_variable>
#include <future>
#include <istream>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace mcpauth::mcp {

class StdioBridge {
 public:
  // transport and out must outlive the bridge. Every message for the client is written to out as
  // one line, whole (several threads write).
  StdioBridge(Transport& transport, std::ostream& out);
  ~StdioBridge();
  StdioBridge(const StdioBridge&) = delete;
  StdioBridge& operator=(const StdioBridge&) = delete;

  // Reads the client's messages from in until it ends, forwards each, and returns once every
  // request has its answer (or an error answer) written and the session is closed at the server.
  // A request runs on its own thread, so a long tool call holds up nothing else; initialize,
  // notifications and responses are forwarded in order. A line that is not JSON-RPC gets a
  // JSON-RPC error; a request the server cannot be asked gets an error answer naming why.
  void run(std::istream& in);

  // Makes run() stop reading and finish (from a signal-watching thread, say).
  void stop();

 private:
  void forward_line(const std::string& line);
  void forward(const Poco::JSON::Object::Ptr& message);
  void post_or_answer_error(const std::string& json, const Poco::Dynamic::Var& id, bool is_request);
  void initialize_again(int generation_seen);
  void start_listening();
  void listen_loop();
  bool listen_once(bool reopening);
  void write(const Poco::JSON::Object::Ptr& message);
  void write_error(const Poco::Dynamic::Var& id, int64_t code, const std::string& text);
  void collect_finished_requests(bool wait_for_all);

  Transport& transport_;
  std::ostream& out_;
  const MessageSink sink_;  // write(), except the answers to the bridge's own initialize requests
  std::mutex out_mutex_;

  std::mutex state_mutex_;  // guards what follows
  std::condition_variable state_changed_;
  std::optional<std::string> client_initialize_;  // the client's initialize request, as sent
  int generation_ = 0;                            // sessions opened again so far
  int own_requests_ = 0;                          // ids of the bridge's own initialize requests
  bool stopping_ = false;

  std::vector<std::future<void>> requests_;  // in flight; only the reading thread touches this
  std::thread listener_;
};

}  // namespace mcpauth::mcp
