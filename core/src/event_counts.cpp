#include "mcpauth/core/event_counts.h"

#include <algorithm>

namespace mcpauth::core {
namespace {

bool valid_event_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

void EventCounts::add(std::string_view server, std::string_view event) {
  if (!valid_event_name(event)) return;
  std::lock_guard lock(mutex_);
  Key key{std::string(server), std::string(event)};
  auto found = counts_.find(key);
  if (found != counts_.end()) {
    ++found->second;
  } else if (counts_.size() < kMaxSeries) {
    counts_.emplace(std::move(key), 1);
  }
}

std::map<EventCounts::Key, uint64_t> EventCounts::snapshot() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

EventCounts& plugin_events() {
  static EventCounts counts;
  return counts;
}

}  // namespace mcpauth::core
