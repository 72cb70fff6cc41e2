// A server's part of a storage instance. Several servers may share one store (the default
// sqlite file, say), so every key a server uses is stored as "<server name>/<key>". Server names
// cannot contain '/', so no two servers' keys can collide. Auth plugins see only their own part
// (through the host's storage services); the storage commands of the CLI use the same view.
#pragma once

#include "mcpauth/core/instances.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::core {

// "<server>/<key>": the one place that defines the scheme.
std::string server_key(std::string_view server_name, std::string_view key);

class ServerStore {
 public:
  ServerStore(const StorageInstance& storage, std::string server_name)
      : storage_(storage), prefix_(server_key(server_name, "")) {}

  std::optional<Bytes> get(const std::string& key) const { return storage_.get(prefix_ + key); }
  void put(const std::string& key, std::span<const uint8_t> value) const { storage_.put(prefix_ + key, value); }
  bool remove(const std::string& key) const { return storage_.remove(prefix_ + key); }
  std::optional<std::string> metadata(const std::string& key) const { return storage_.metadata(prefix_ + key); }
  // Keys without the server prefix.
  std::vector<std::string> list(const std::string& prefix) const;

 private:
  const StorageInstance& storage_;
  std::string prefix_;
};

}  // namespace mcpauth::core
