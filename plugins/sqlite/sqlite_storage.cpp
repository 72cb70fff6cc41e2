#include "sqlite_storage.h"

#include "schema.h"
#include "store_file.h"

namespace mcpauth::sqlite {
namespace {

// Files first: the default key file lives in the store's directory, which may not exist yet.
crypto::StoreKeys open_store(const Config& config, const sdk::Host& host) {
  for (const std::string& warning : prepare_store_file(config.path, config.strict_permissions))
    host.log(MCPAUTH_LOG_WARN, warning);
  try {
    crypto::StoreKeys keys =
        crypto::load_store_keys({config.encryption_key_env, config.key_file, config.strict_permissions});
    for (const std::string& warning : keys.warnings) host.log(MCPAUTH_LOG_WARN, warning);
    return keys;
  } catch (const crypto::KeyError& e) {  // names the variable or file, never the key
    throw sdk::Error(MCPAUTH_ERR_CONFIG, e.what());
  }
}

// The smallest string above every string starting with prefix, in byte order (SQLite's BINARY
// collation is memcmp); none when no string is above them all ("" or only 0xff bytes).
std::optional<std::string> prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

SqliteStorage::SqliteStorage(const sdk::InstanceArgs& args)
    : host_(args.host),
      config_(parse_config(args.config_json)),
      keys_(open_store(config_, host_)),
      connections_(config_.path, config_.busy_timeout_ms),
      locks_(connections_, host_, config_.lock_lease_ms) {
  connections_.with("open the store", [&](Database& db) { migrate(db, config_.path); });
  host_.log(MCPAUTH_LOG_INFO, "database " + config_.path.string() + ", keys from " + keys_.origin);
}

std::optional<SqliteStorage::Row> SqliteStorage::read(const std::string& key) {
  return connections_.with("read '" + key + "'", [&](Database& db) -> std::optional<Row> {
    Statement select(db, "SELECT value, updated_at FROM entries WHERE key = ?1");
    select.bind(1, key);
    if (!select.step()) return std::nullopt;
    return Row{std::string(select.text(0)), select.integer(1)};
  });
}

sdk::Bytes SqliteStorage::decrypt(const std::string& key, const std::string& token) const {
  try {
    return keys_.keys.decrypt(token);
  } catch (const crypto::FernetError&) {
    throw sdk::Error(MCPAUTH_ERR_CRYPTO, "cannot decrypt " + key + ": wrong key or corrupted data (database " +
                                             config_.path.string() + ", keys from " + keys_.origin + ")");
  }
}

std::optional<sdk::Bytes> SqliteStorage::get(const std::string& key) {
  std::optional<Row> row = read(key);
  if (!row) return std::nullopt;
  return decrypt(key, row->token);
}

void SqliteStorage::put(const std::string& key, std::span<const uint8_t> value) {
  std::string token = keys_.keys.encrypt(value);
  connections_.with("write '" + key + "'", [&](Database& db) {
    // One statement, so atomic on its own: readers see the old row or the new one.
    Statement(db,
              "INSERT INTO entries(key, value, updated_at) VALUES(?1, ?2, ?3) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
        .bind(1, key)
        .bind(2, token)
        .bind(3, host_.now_unix_ms() / 1000)
        .step();
  });
}

bool SqliteStorage::remove(const std::string& key) {
  return connections_.with("remove '" + key + "'", [&](Database& db) {
    Statement(db, "DELETE FROM entries WHERE key = ?1").bind(1, key).step();
    return db.changes() > 0;
  });
}

std::vector<std::string> SqliteStorage::list(const std::string& prefix) {
  return connections_.with("list keys starting with '" + prefix + "'", [&](Database& db) {
    // A range on the primary key, not LIKE: LIKE treats % and _ as wildcards and ignores case.
    Statement select(db, "SELECT key FROM entries WHERE key >= ?1 AND (?2 IS NULL OR key < ?2)");
    select.bind(1, prefix);
    if (std::optional<std::string> end = prefix_end(prefix))
      select.bind(2, *end);
    else
      select.bind_null(2);
    std::vector<std::string> keys;
    while (select.step()) keys.emplace_back(select.text(0));
    return keys;
  });
}

std::optional<std::string> SqliteStorage::metadata(const std::string& key) {
  std::optional<Row> row = read(key);
  if (!row) return std::nullopt;
  // The plaintext size needs a decryption; it also tells whether the entry is readable at all.
  size_t size = decrypt(key, row->token).size();
  return "{\"size\":" + std::to_string(size) + ",\"stored_size\":" + std::to_string(row->token.size()) +
         ",\"updated_at\":" + std::to_string(row->updated_at) + "}";
}

std::unique_ptr<sdk::StoragePlugin::Lock> SqliteStorage::lock(const std::string& key, uint32_t timeout_ms) {
  return locks_.acquire(key, timeout_ms);
}

}  // namespace mcpauth::sqlite
