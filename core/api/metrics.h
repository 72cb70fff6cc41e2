// Counters exposed at GET /metrics in the Prometheus text format. Labels come from fixed sets
// (route templates, status codes, the callback error codes, server names), so the series stay
// few. Plugins' events (token refreshes) come from core::plugin_events().
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace mcpauth::api {

class Metrics {
 public:
  void count_request(std::string_view route, int status);
  void count_authorization_started();
  void count_authorization_completed();
  void count_authorization_failed(std::string_view reason);

  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  uint64_t started_ = 0;
  uint64_t completed_ = 0;
  std::map<std::string, uint64_t> failed_;  // by reason
};

}  // namespace mcpauth::api
