// Idle keep-alive connections to upstream servers, by origin: a gateway request should not pay for
// a new TCP (and TLS) connection each time.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mcpauth::mcp {

class ConnectionPool {
 public:
  using Session = std::unique_ptr<Poco::Net::HTTPClientSession>;

  // An idle connection to the URL's origin, or a new session (connected on first use). reused
  // tells which: a reused connection may have been closed by the server meanwhile.
  Session take(const Poco::URI& uri, bool& reused);
  // Keeps a session whose last answer was read completely, for the next request to its origin.
  void give_back(const std::string& origin, Session session);
  // Closes the idle connections to an origin.
  void forget(const std::string& origin);

  static ConnectionPool& shared();

 private:
  struct Idle {
    Session session;
    std::chrono::steady_clock::time_point since;
  };
  std::mutex mutex_;
  std::map<std::string, std::vector<Idle>> idle_;  // by origin, most recently used last
};

}  // namespace mcpauth::mcp
