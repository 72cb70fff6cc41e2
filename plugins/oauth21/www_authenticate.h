// WWW-Authenticate (RFC 9110 section 11.6.1): challenges with auth-params in any order, values as
// tokens or quoted strings (which may hold commas and escaped quotes).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::oauth21 {

struct Challenge {
  std::string scheme;                         // as sent; compare case-insensitively
  std::map<std::string, std::string> params;  // names lower-cased; values unquoted and unescaped
  std::string token68;                        // when the challenge carries one instead of params
};

// Every challenge in the header value, in order. Malformed parts are skipped, never thrown:
// the header comes from the network.
std::vector<Challenge> parse_www_authenticate(std::string_view header);

// The first challenge with scheme "Bearer" (any case), if any.
std::optional<Challenge> find_bearer(const std::vector<Challenge>& challenges);

}  // namespace mcpauth::oauth21
