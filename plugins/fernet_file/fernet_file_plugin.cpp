// The `fernet_file` storage plugin: one file per entry in a directory, each holding a Fernet
// token of the value, readable by Python's cryptography.fernet (see README.md).
#include "atomic_write.h"
#include "entry_scan.h"
#include "key_lock.h"
#include "key_names.h"
#include "posix_io.h"
#include "settings.h"
#include "store_directory.h"

#include "crypto/fernet.h"
#include "crypto/keyring.h"

#include <mcpauth/plugin.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <system_error>

namespace mcpauth::fernet_file {
namespace {

using sdk::Bytes;

// Where lock files live, inside the store directory.
constexpr const char* kLockDirName = ".locks";

// An entry file as read: the token, and the file's size and modification time.
struct StoredEntry {
  std::string token;
  uint64_t stored_size = 0;
  int64_t updated_at = 0;
};

// Loads the keys now, so that a malformed one stops the start-up, not the first read.
crypto::MultiFernet load_keys(const Settings& settings, const sdk::Host& host) {
  try {
    crypto::StoreKeys keys =
        crypto::load_store_keys({settings.key_env, settings.key_file, settings.strict_permissions});
    for (const std::string& warning : keys.warnings) host.log(MCPAUTH_LOG_WARN, warning);
    host.log(MCPAUTH_LOG_INFO, "store " + settings.path.string() + ", keys from the " + keys.origin);
    return std::move(keys.keys);
  } catch (const crypto::KeyError& e) {
    throw sdk::Error(MCPAUTH_ERR_CONFIG, e.what());
  }
}

// Readies the directory (with its lock directory, without stale temp files) and loads the keys.
crypto::MultiFernet open_store(const Settings& settings, const sdk::Host& host) {
  for (const std::string& warning : prepare_store_directory(settings.path, settings.strict_permissions))
    host.log(MCPAUTH_LOG_WARN, warning);
  try {
    make_private_directories(settings.path / kLockDirName);
    if (std::size_t removed = remove_stale_temp_files(settings.path))
      host.log(MCPAUTH_LOG_INFO,
               "removed " + std::to_string(removed) + " stale temporary files from " + settings.path.string());
  } catch (const std::system_error& e) {
    throw sdk::Error(MCPAUTH_ERR_IO, "cannot use store directory " + settings.path.string() + ": " + e.what());
  }
  return load_keys(settings, host);
}

// Runs body, turning an OS failure into MCPAUTH_ERR_IO naming the key and the reason.
template <class Body>
auto with_io_errors(const char* action, const std::string& key, const std::filesystem::path& dir, Body&& body) {
  try {
    return body();
  } catch (const std::system_error& e) {
    throw sdk::Error(MCPAUTH_ERR_IO, std::string("cannot ") + action + " " + display_key(key) + " in " + dir.string() +
                                         ": " + e.what());
  }
}

class FernetFileStorage : public sdk::StoragePlugin {
 public:
  explicit FernetFileStorage(const sdk::InstanceArgs& args)
      : FernetFileStorage(parse_settings(args.config_json), args.host) {}

  std::optional<Bytes> get(const std::string& key) override {
    std::optional<StoredEntry> entry = read_entry(key);
    if (!entry) return std::nullopt;
    return decrypt(key, entry->token);
  }

  void put(const std::string& key, std::span<const uint8_t> value) override {
    const std::filesystem::path relative = key_path(key, kEntrySuffix);
    const std::string token = keys_.encrypt(value);
    with_io_errors("store", key, dir_, [&] {
      if (relative.has_parent_path()) make_private_directories(dir_ / relative.parent_path());
      // Temp files stay at the top of the store, where start-up looks for stale ones.
      replace_file(dir_, dir_ / relative, token);
    });
  }

  // The directories of a removed long key stay: removing them could race with a put.
  bool remove(const std::string& key) override {
    const std::filesystem::path file = dir_ / key_path(key, kEntrySuffix);
    return with_io_errors("remove", key, dir_, [&] {
      if (::unlink(file.c_str()) != 0) {
        if (errno == ENOENT) return false;
        throw_errno("unlink");
      }
      sync_directory(file.parent_path());
      return true;
    });
  }

  std::vector<std::string> list(const std::string& prefix) override {
    std::vector<std::string> keys;
    try {
      keys = scan_keys(dir_);
    } catch (const std::system_error& e) {
      throw sdk::Error(MCPAUTH_ERR_IO, "cannot list " + dir_.string() + ": " + e.what());
    }
    std::erase_if(keys, [&](const std::string& key) { return !key.starts_with(prefix); });
    return keys;
  }

  // "size" needs the plaintext, so metadata decrypts (and fails like get on a bad entry).
  std::optional<std::string> metadata(const std::string& key) override {
    std::optional<StoredEntry> entry = read_entry(key);
    if (!entry) return std::nullopt;
    const std::size_t size = decrypt(key, entry->token).size();
    // Decryption succeeded, so the token is well formed and has a timestamp.
    const uint64_t timestamp = crypto::fernet_timestamp(entry->token).value_or(0);
    return "{\"size\":" + std::to_string(size) + ",\"stored_size\":" + std::to_string(entry->stored_size) +
           ",\"updated_at\":" + std::to_string(entry->updated_at) +
           ",\"fernet_timestamp\":" + std::to_string(timestamp) + "}";
  }

  std::unique_ptr<Lock> lock(const std::string& key, uint32_t timeout_ms) override {
    const std::filesystem::path relative = key_path(key, kLockSuffix);
    const std::filesystem::path file = dir_ / kLockDirName / relative;
    return with_io_errors("lock", key, dir_, [&] {
      if (relative.has_parent_path()) make_private_directories(file.parent_path());
      return acquire_key_lock(file, timeout_ms, host_);
    });
  }

 private:
  FernetFileStorage(const Settings& settings, const sdk::Host& host)
      : host_(host), dir_(settings.path), keys_(open_store(settings, host)) {}

  std::optional<StoredEntry> read_entry(const std::string& key) const {
    const std::filesystem::path file = dir_ / key_path(key, kEntrySuffix);
    return with_io_errors("read", key, dir_, [&]() -> std::optional<StoredEntry> {
      UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
      if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw_errno("open");
      }
      struct stat info {};
      if (::fstat(fd.get(), &info) != 0) throw_errno("fstat");
      StoredEntry entry{read_all(fd.get()), static_cast<uint64_t>(info.st_size), info.st_mtime};
      // Tolerate a trailing newline added by an editor or `echo` (Python's Fernet does too).
      while (!entry.token.empty() && std::isspace(static_cast<unsigned char>(entry.token.back())))
        entry.token.pop_back();
      return entry;
    });
  }

  // Never deletes or rewrites anything on failure: the entry stays for the right key to read.
  Bytes decrypt(const std::string& key, const std::string& token) const {
    try {
      return keys_.decrypt(token);
    } catch (const crypto::FernetError& e) {
      throw sdk::Error(MCPAUTH_ERR_CRYPTO, "cannot decrypt " + display_key(key) + ": wrong key or corrupted data (" +
                                               e.what() + "); " + (dir_ / key_path(key, kEntrySuffix)).string() +
                                               " is left untouched");
    }
  }

  const sdk::Host host_;
  const std::filesystem::path dir_;
  const crypto::MultiFernet keys_;
};

struct FernetFileLibrary {
  static constexpr const char* id = "fernet_file";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Fernet-encrypted files in a directory, one per entry, readable by Python's cryptography (Atlas UI 3)";
  static constexpr const char* config_schema = kConfigSchema;
  using Auth = void;
  using Storage = FernetFileStorage;
};

}  // namespace
}  // namespace mcpauth::fernet_file

MCPAUTH_EXPORT_PLUGIN(mcpauth::fernet_file::FernetFileLibrary)
