// Text from outside (paths, names, header values) made safe for one line of an error message or
// a log entry.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpauth::config {

// Bytes outside printable ASCII become \xNN; text longer than max_len bytes is cut and ends in
// "...".
std::string printable(std::string_view text, std::size_t max_len = 200);

}  // namespace mcpauth::config
