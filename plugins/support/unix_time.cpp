#include "plugin_support/unix_time.h"

#include <cmath>
#include <ctime>

namespace mcpauth::plugin_support {

std::optional<int64_t> unix_seconds(const Poco::Dynamic::Var& value) {
  // Poco counts booleans as numbers; JSON does not.
  if (value.isEmpty() || value.isBoolean() || value.isString() || !value.isNumeric()) return std::nullopt;
  try {
    double seconds = value.convert<double>();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > static_cast<double>(kMaxUnixSeconds)) return std::nullopt;
    return static_cast<int64_t>(seconds);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string iso_time(int64_t unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace mcpauth::plugin_support
