// Helpers for values an attacker must not guess or time: comparisons and random identifiers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpauth::api {

// Equal contents, compared in time that depends only on the lengths.
bool equal_constant_time(std::string_view a, std::string_view b);

// `bytes` random bytes from the system's CSPRNG, as lowercase hex (2 * bytes characters).
std::string random_hex(std::size_t bytes);

}  // namespace mcpauth::api
