// Clients that hang up while the gateway streams an MCP server's answer to them. A quiet stream
// (a GET that the server uses now and then, a long tool call) would otherwise hold its gateway
// thread until the server's next byte shows the client gone, or its 300 s read timeout: with
// browsers closing tabs, that fills the half of the threads streams may take. One thread polls the
// clients' connections for their hang-up (POLLRDHUP) and aborts the answer each was waiting on.
#pragma once

#include "mcpauth/mcp/upstream.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace mcpauth::api {

class ClientDepartures {
 public:
  ClientDepartures();  // starts the polling thread; throws std::system_error when it cannot
  ~ClientDepartures();
  ClientDepartures(const ClientDepartures&) = delete;
  ClientDepartures& operator=(const ClientDepartures&) = delete;

  // While it lives (it must end before the answer is destroyed), a hang-up of the client on
  // client_socket aborts answer (UpstreamResponse::abort).
  class Watch {
   public:
    Watch(ClientDepartures& departures, int client_socket, mcp::UpstreamResponse& answer);
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    ~Watch();
    bool client_left() const { return state_->left; }

   private:
    friend class ClientDepartures;
    struct State {
      int client_socket;
      mcp::UpstreamResponse* answer;
      std::atomic<bool> left = false;
    };
    ClientDepartures& departures_;
    uint64_t id_;
    std::shared_ptr<State> state_;
  };

 private:
  void poll_loop();
  void wake();

  std::mutex mutex_;  // guards watched_ and next_id_
  std::map<uint64_t, std::shared_ptr<Watch::State>> watched_;
  uint64_t next_id_ = 0;
  int wake_fd_;  // an eventfd: the watched set changed, or the thread is to end
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace mcpauth::api
