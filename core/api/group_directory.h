// Group membership of users: the `user_groups` table for the users it lists, else the external
// group service (answers cached for `cache_s`), else no groups. Any failure of the service means
// "not a member" (and is not cached).
#pragma once

#include "mcpauth/config/config.h"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcpauth::api {

class GroupDirectory {
 public:
  explicit GroupDirectory(const config::Settings& settings);

  bool is_member(const std::string& user, const std::string& group);

  // Whether the user may use something restricted to `groups`; empty means every user.
  bool in_any(const std::string& user, const std::vector<std::string>& groups);

 private:
  using Clock = std::chrono::steady_clock;
  struct Answer {
    bool member;
    Clock::time_point expires;
  };

  std::optional<bool> cached(const std::pair<std::string, std::string>& key);
  void remember(std::pair<std::string, std::string> key, bool member);
  std::optional<bool> ask_service(const std::string& user, const std::string& group) const;

  const std::map<std::string, std::vector<std::string>> table_;
  const std::optional<config::GroupService> service_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Answer> cache_;  // (user, group)
};

}  // namespace mcpauth::api
