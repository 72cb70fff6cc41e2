// Reading the query string of an authorization callback, from an HTTP request or from a line the
// user pasted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpauth::core {

// The decoded value of the first parameter called name in a raw query string ("a=1&b=2"), or
// nullopt when it is absent or not validly percent-encoded.
std::optional<std::string> query_parameter(std::string_view raw_query, std::string_view name);

// The raw query of a pasted line: a full redirect URL ("http://127.0.0.1:8123/callback?code=..")
// or the query alone, with or without its "?". nullopt for a blank line; "" for a URL without a
// query (so it is reported like any other line that is not the callback).
std::optional<std::string> query_of_pasted_line(std::string_view line);

}  // namespace mcpauth::core
