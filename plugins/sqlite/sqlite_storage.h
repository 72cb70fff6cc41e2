// The `sqlite` storage plugin: entries in a SQLite database file, each value a Fernet token.
#pragma once

#include "config.h"
#include "connections.h"
#include "lease_locks.h"

#include "crypto/keyring.h"

#include <mcpauth/plugin.hpp>

namespace mcpauth::sqlite {

class SqliteStorage : public sdk::StoragePlugin {
 public:
  explicit SqliteStorage(const sdk::InstanceArgs& args);

  std::optional<sdk::Bytes> get(const std::string& key) override;
  void put(const std::string& key, std::span<const uint8_t> value) override;
  bool remove(const std::string& key) override;
  std::vector<std::string> list(const std::string& prefix) override;
  std::optional<std::string> metadata(const std::string& key) override;
  std::unique_ptr<Lock> lock(const std::string& key, uint32_t timeout_ms) override;

 private:
  struct Row {
    std::string token;
    int64_t updated_at;  // Unix seconds
  };
  std::optional<Row> read(const std::string& key);
  sdk::Bytes decrypt(const std::string& key, const std::string& token) const;

  const sdk::Host host_;
  const Config config_;
  const crypto::StoreKeys keys_;
  Connections connections_;
  LeaseLocks locks_;
};

}  // namespace mcpauth::sqlite
