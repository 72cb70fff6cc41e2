// Unix times in seconds: read from JSON numbers (a JWT's exp, a metadata expires_at), shown as
// ISO 8601 in UTC.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstdint>
#include <optional>
#include <string>

namespace mcpauth::plugin_support {

inline constexpr int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// The value as whole Unix seconds (a fraction is dropped); nullopt when it is not a JSON number
// from 0 to kMaxUnixSeconds.
std::optional<int64_t> unix_seconds(const Poco::Dynamic::Var& value);

// "2025-01-31T12:00:00Z".
std::string iso_time(int64_t unix_seconds);

}  // namespace mcpauth::plugin_support
