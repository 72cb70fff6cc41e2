// OAuth scopes (RFC 6749 section 3.3): a space-separated string on the wire, a list in memory.
#pragma once

#include <string>
#include <vector>

namespace mcpauth::plugin_support {

std::vector<std::string> split_scopes(const std::string& scopes);
std::string join_scopes(const std::vector<std::string>& scopes);
// a followed by the items of b that a lacks, order kept.
std::vector<std::string> scope_union(std::vector<std::string> a, const std::vector<std::string>& b);

}  // namespace mcpauth::plugin_support
