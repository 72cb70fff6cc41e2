#include "mcpauth/core/server_store.h"

namespace mcpauth::core {

std::string server_key(std::string_view server_name, std::string_view key) {
  std::string full;
  full.reserve(server_name.size() + 1 + key.size());
  full.append(server_name).append("/").append(key);
  return full;
}

std::vector<std::string> ServerStore::list(const std::string& prefix) const {
  std::vector<std::string> keys = storage_.list(prefix_ + prefix);
  for (auto& key : keys) key.erase(0, prefix_.size());
  return keys;
}

}  // namespace mcpauth::core
