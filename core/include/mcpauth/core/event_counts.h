// Events that plugins count through the host (mcpauth_host_api::count_event), per server and
// event name, for the process's lifetime: `mcpauth serve` shows them at GET /metrics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace mcpauth::core {

class EventCounts {
 public:
  using Key = std::pair<std::string, std::string>;  // server, event

  // Past this many distinct (server, event) pairs, new pairs are not counted: names come from
  // plugins, and a buggy one must not grow the metrics without end.
  static constexpr std::size_t kMaxSeries = 1024;

  // Ignores event names that are not 1-64 characters of a-z, 0-9 and '_'.
  void add(std::string_view server, std::string_view event);
  std::map<Key, uint64_t> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<Key, uint64_t> counts_;
};

// The process's counts, fed by every plugin instance.
EventCounts& plugin_events();

}  // namespace mcpauth::core
