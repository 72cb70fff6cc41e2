#include "plugin_support/scopes.h"

#include <algorithm>
#include <sstream>

namespace mcpauth::plugin_support {

std::vector<std::string> split_scopes(const std::string& scopes) {
  std::vector<std::string> items;
  std::istringstream in(scopes);
  for (std::string item; in >> item;) items.push_back(item);
  return items;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

std::vector<std::string> scope_union(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (const auto& scope : b)
    if (std::find(a.begin(), a.end(), scope) == a.end()) a.push_back(scope);
  return a;
}

}  // namespace mcpauth::plugin_support
