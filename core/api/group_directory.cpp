#include "group_directory.h"

#include "mcpauth/core/http_client.h"
#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace mcpauth::api {
namespace {

// Bounds the cache when many users come and go: past this, expired answers are dropped, and if
// that is not enough, all of them.
constexpr std::size_t kMaxCachedAnswers = 10'000;
constexpr uint64_t kMaxServiceAnswerBytes = 64 * 1024;

std::string membership_request(const std::string& user, const std::string& group) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("user_id", user);
  body.set("group_id", group);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

// {"is_member": true} is the only yes.
bool is_member_answer(const std::string& text) {
  Poco::JSON::Object::Ptr answer = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  Poco::Dynamic::Var member = answer->get("is_member");
  return member.isBoolean() && member.extract<bool>();
}

}  // namespace

GroupDirectory::GroupDirectory(const config::Settings& settings)
    : table_(settings.user_groups), service_(settings.group_service) {}

bool GroupDirectory::is_member(const std::string& user, const std::string& group) {
  if (auto listed = table_.find(user); listed != table_.end())
    return std::find(listed->second.begin(), listed->second.end(), group) != listed->second.end();
  if (!service_) return false;
  std::pair<std::string, std::string> key{user, group};
  if (std::optional<bool> known = cached(key)) return *known;
  const std::optional<bool> member = ask_service(user, group);
  if (!member) return false;  // not cached: asked again once the service is back
  remember(std::move(key), *member);
  return *member;
}

bool GroupDirectory::in_any(const std::string& user, const std::vector<std::string>& groups) {
  return groups.empty() ||
         std::any_of(groups.begin(), groups.end(), [&](const std::string& group) { return is_member(user, group); });
}

std::optional<bool> GroupDirectory::cached(const std::pair<std::string, std::string>& key) {
  std::lock_guard lock(mutex_);
  auto found = cache_.find(key);
  if (found == cache_.end()) return std::nullopt;
  if (Clock::now() >= found->second.expires) {
    cache_.erase(found);
    return std::nullopt;
  }
  return found->second.member;
}

void GroupDirectory::remember(std::pair<std::string, std::string> key, bool member) {
  if (service_->cache_s == 0) return;
  std::lock_guard lock(mutex_);
  const Clock::time_point now = Clock::now();
  if (cache_.size() >= kMaxCachedAnswers)
    std::erase_if(cache_, [&](const auto& item) { return item.second.expires <= now; });
  if (cache_.size() >= kMaxCachedAnswers) cache_.clear();
  cache_[std::move(key)] = Answer{member, now + std::chrono::seconds(service_->cache_s)};
}

// nullopt when the service failed; that is logged, never with the API key.
std::optional<bool> GroupDirectory::ask_service(const std::string& user, const std::string& group) const {
  sdk::HttpRequest request;
  request.method = "POST";
  request.url = service_->url;
  request.headers = {{"Authorization", "Bearer " + service_->api_key}, {"Content-Type", "application/json"}};
  request.body = membership_request(user, group);
  request.timeout_ms = static_cast<uint32_t>(service_->timeout_ms);
  request.max_response_bytes = kMaxServiceAnswerBytes;
  try {
    sdk::HttpResponse response = core::http_fetch(request);
    if (response.status != 200) {
      core::log(core::LogLevel::warn, "groups",
                "the group service answered HTTP " + std::to_string(response.status) + "; treating as not a member");
      return std::nullopt;
    }
    return is_member_answer(response.body);
  } catch (const core::PluginError& e) {
    core::log(core::LogLevel::warn, "groups",
              std::string("the group service could not be asked (") + e.what() + "); treating as not a member");
  } catch (const Poco::Exception&) {
    core::log(core::LogLevel::warn, "groups",
              "the group service's answer is not a JSON object; treating as not a member");
  }
  return std::nullopt;
}

}  // namespace mcpauth::api
