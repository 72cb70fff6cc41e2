// Request values (paths, user names) made safe for a one-line log entry.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpauth::api {

// Bytes outside printable ASCII become \xNN; text longer than max_len is cut and ends in "...".
std::string printable(std::string_view text, std::size_t max_len = 200);

}  // namespace mcpauth::api
