#include "connection_pool.h"

#include "mcpauth/core/http_session.h"

namespace mcpauth::mcp {
namespace {

// Below the 5 s keep-alive timeout of Node.js servers (and most others), so that a pooled
// connection is rarely one the server is about to close.
constexpr auto kMaxIdle = std::chrono::seconds(4);
constexpr size_t kMaxIdlePerOrigin = 64;

}  // namespace

ConnectionPool::Session ConnectionPool::take(const Poco::URI& uri, bool& reused) {
  const std::string origin = core::origin_of(uri);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(origin);
    while (it != idle_.end() && !it->second.empty()) {
      Idle idle = std::move(it->second.back());
      it->second.pop_back();
      if (now - idle.since < kMaxIdle && idle.session->connected()) {
        reused = true;
        return std::move(idle.session);
      }
    }
  }
  reused = false;
  Session session = core::open_http_session(uri);
  session->setKeepAlive(true);
  return session;
}

void ConnectionPool::give_back(const std::string& origin, Session session) {
  if (!session->connected()) return;
  std::lock_guard lock(mutex_);
  std::vector<Idle>& idle = idle_[origin];
  if (idle.size() >= kMaxIdlePerOrigin) idle.erase(idle.begin());  // the oldest goes
  idle.push_back({std::move(session), std::chrono::steady_clock::now()});
}

void ConnectionPool::forget(const std::string& origin) {
  std::lock_guard lock(mutex_);
  idle_.erase(origin);
}

ConnectionPool& ConnectionPool::shared() {
  static ConnectionPool pool;
  return pool;
}

}  // namespace mcpauth::mcp
