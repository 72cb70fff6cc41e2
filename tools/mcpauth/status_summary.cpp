#include "status_summary.h"

#include "plugin_support/unix_time.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace mcpauth::cli {

using plugin_support::iso_time;

namespace {

// At most the two largest units, rounded down: "42s", "5m", "1h", "1h 5m", "2d 3h".
std::string duration(int64_t seconds) {
  auto two_units = [](int64_t big, const char* big_unit, int64_t small, const char* small_unit) {
    return std::to_string(big) + big_unit + (small > 0 ? " " + std::to_string(small) + small_unit : "");
  };
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m";
  if (seconds < 86400) return two_units(seconds / 3600, "h", seconds % 3600 / 60, "m");
  return two_units(seconds / 86400, "d", seconds % 86400 / 3600, "h");
}

std::string expiry(const Poco::Dynamic::Var& value, std::chrono::system_clock::time_point now) {
  if (!value.isNumeric()) return "expires " + value.convert<std::string>();
  const int64_t at = value.convert<int64_t>();
  const int64_t left = at - std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return "expires " + iso_time(at) +
         (left >= 0 ? " (in " + duration(left) + ")" : " (expired " + duration(-left) + " ago)");
}

std::string scope_text(const Poco::JSON::Object& status) {
  std::string text;
  if (Poco::JSON::Array::Ptr list = status.getArray("scopes")) {
    for (size_t i = 0; i < list->size(); ++i) text += (i ? " " : "") + list->get(i).convert<std::string>();
  } else {
    text = status.get("scopes").convert<std::string>();
  }
  return "scopes: " + (text.empty() ? std::string("(none)") : text);
}

bool flag(const Poco::JSON::Object& status, const std::string& key) { return status.getValue<bool>(key); }

}  // namespace

std::string summarize_status(const std::string& status_json, std::chrono::system_clock::time_point now) {
  Poco::JSON::Object::Ptr status;
  try {
    status = Poco::JSON::Parser().parse(status_json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return "(the plugin's status is not a JSON object)";
  }
  std::string line;
  auto add = [&line](const std::string& part) { line += (line.empty() ? "" : ", ") + part; };
  try {
    if (status->has("auth_required") && !flag(*status, "auth_required"))
      add("no sign-in needed");
    else if (status->has("authenticated"))
      add(flag(*status, "authenticated") ? "signed in" : "not signed in");
    if (status->has("expires_at")) add(expiry(status->get("expires_at"), now));
    if (status->has("scopes")) add(scope_text(*status));
    if (status->has("has_refresh_token"))
      add(std::string("refresh token: ") + (flag(*status, "has_refresh_token") ? "yes" : "no"));
  } catch (const Poco::Exception&) {  // a field of an unexpected type
    add("(the rest of the plugin's status is malformed)");
  }
  return line.empty() ? "(the plugin reports no details)" : line;
}

std::string status_line(const core::AuthInstance& auth) {
  try {
    return summarize_status(auth.status(""), std::chrono::system_clock::now());
  } catch (const core::PluginError& e) {
    return std::string("status unavailable: ") + e.what();
  }
}

}  // namespace mcpauth::cli
