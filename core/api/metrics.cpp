#include "metrics.h"

#include "mcpauth/core/event_counts.h"

namespace mcpauth::api {

void Metrics::count_request(std::string_view route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
}

void Metrics::count_authorization_started() {
  std::lock_guard lock(mutex_);
  ++started_;
}

void Metrics::count_authorization_completed() {
  std::lock_guard lock(mutex_);
  ++completed_;
}

void Metrics::count_authorization_failed(std::string_view reason) {
  std::lock_guard lock(mutex_);
  ++failed_[std::string(reason)];
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out =
      "# HELP mcpauth_http_requests_total HTTP requests answered, by route template and status.\n"
      "# TYPE mcpauth_http_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out += "mcpauth_http_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"} " +
           std::to_string(count) + "\n";
  out +=
      "# HELP mcpauth_oauth_authorizations_started_total Browser sign-ins sent to an authorization server.\n"
      "# TYPE mcpauth_oauth_authorizations_started_total counter\n"
      "mcpauth_oauth_authorizations_started_total " +
      std::to_string(started_) +
      "\n"
      "# HELP mcpauth_oauth_authorizations_completed_total Browser sign-ins that ended with stored tokens.\n"
      "# TYPE mcpauth_oauth_authorizations_completed_total counter\n"
      "mcpauth_oauth_authorizations_completed_total " +
      std::to_string(completed_) +
      "\n"
      "# HELP mcpauth_oauth_authorizations_failed_total Browser sign-ins that failed, by error code.\n"
      "# TYPE mcpauth_oauth_authorizations_failed_total counter\n";
  for (const auto& [reason, count] : failed_)
    out += "mcpauth_oauth_authorizations_failed_total{reason=\"" + reason + "\"} " + std::to_string(count) + "\n";
  // Server names and event names are made of characters that need no escaping in a label.
  out +=
      "# HELP mcpauth_plugin_events_total Events counted by plugins, by server: token_refreshed and "
      "token_refresh_failed are the token refreshes that succeeded and failed.\n"
      "# TYPE mcpauth_plugin_events_total counter\n";
  for (const auto& [key, count] : core::plugin_events().snapshot())
    out += "mcpauth_plugin_events_total{server=\"" + key.first + "\",event=\"" + key.second + "\"} " +
           std::to_string(count) + "\n";
  return out;
}

}  // namespace mcpauth::api
