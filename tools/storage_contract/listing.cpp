#include "listing.h"

#include <algorithm>

namespace contract {

std::vector<std::string> sorted(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> sorted_list(const mcpauth::core::StorageInstance& store, const std::string& prefix) {
  return sorted(store.list(prefix));
}

}  // namespace contract
