// dir_store: a storage plugin that keeps each entry in its own file under one directory.
//
//   <path>/entries/<hex of the key>.v   one entry (0600); a hex name longer than 200 characters is
//                                       cut into 200-character directories: <h1>/<h2>/<rest>.v
//   <path>/entries/.tmp-<pid>-<n>       a write in progress, renamed over the entry when complete
//   <path>/locks/<hex of the key>.lock  what lock() flock()s, laid out like the entries
//
// Values are stored as given, NOT encrypted: tokens need a store that encrypts them, as the shipped
// fernet_file and sqlite do. It passes mcpauth-storage-contract with --shared --crash.
#include <mcpauth/plugin.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using mcpauth::sdk::Bytes;
using mcpauth::sdk::Error;

constexpr std::size_t kSegment = 200;  // hex characters per path component (names end at 255 bytes)
constexpr char kDigits[] = "0123456789abcdef";

// Hex keeps every key distinct and inside the directory, whatever its bytes ("..", "/", newlines).
fs::path encode(const std::string& key, const std::string& suffix) {
  std::string hex;
  for (unsigned char c : key) hex += {kDigits[c >> 4], kDigits[c & 15]};
  fs::path path;
  std::size_t at = 0;
  for (; hex.size() - at > kSegment; at += kSegment) path /= hex.substr(at, kSegment);
  return path / (hex.substr(at) + suffix);
}

// The key of an entry file's path below entries/, or nullopt for anything that is not exactly
// what encode() makes (temp files, stray files).
std::optional<std::string> decode(const fs::path& relative) {
  std::string hex;
  for (const fs::path& part : relative) hex += part.string();
  if (!hex.ends_with(".v")) return std::nullopt;
  hex.resize(hex.size() - 2);
  if (hex.size() % 2 != 0 || hex.find_first_not_of(kDigits) != std::string::npos) return std::nullopt;
  std::string key;
  for (std::size_t i = 0; i < hex.size(); i += 2) key += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  if (encode(key, ".v") != relative) return std::nullopt;
  return key;
}

[[noreturn]] void fail(const std::string& what, const std::string& key) {
  // Name the key and the OS reason, never the value.
  throw Error(MCPAUTH_ERR_IO, "cannot " + what + " \"" + key + "\": " + std::strerror(errno));
}

// An open file descriptor, closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// A held flock(); closing the descriptor releases it, also when the process dies.
class FileLock : public mcpauth::sdk::StoragePlugin::Lock {
 public:
  explicit FileLock(int fd) : fd_(fd) {}

 private:
  Fd fd_;
};

class DirStore : public mcpauth::sdk::StoragePlugin {
 public:
  explicit DirStore(const mcpauth::sdk::InstanceArgs& args) : host_(args.host) {
    auto config = Poco::JSON::Parser().parse(args.config_json).extract<Poco::JSON::Object::Ptr>();
    const fs::path root = config->getValue<std::string>("path");  // required by the schema
    entries_ = root / "entries";
    locks_ = root / "locks";
    std::error_code error;
    for (const fs::path& dir : {root, entries_, locks_}) {
      if (fs::create_directories(dir, error)) fs::permissions(dir, fs::perms::owner_all, error);
      if (error || !fs::is_directory(dir))
        throw Error(MCPAUTH_ERR_CONFIG, "cannot create the store directory " + dir.string() + ": " + error.message());
    }
  }

  std::optional<Bytes> get(const std::string& key) override {
    Fd fd(::open((entries_ / encode(key, ".v")).c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno == ENOENT) return std::nullopt;
      fail("read", key);
    }
    Bytes value;
    uint8_t buffer[65536];
    for (ssize_t n; (n = ::read(fd.get(), buffer, sizeof buffer)) != 0;) {
      if (n < 0 && errno != EINTR) fail("read", key);
      if (n > 0) value.insert(value.end(), buffer, buffer + n);
    }
    return value;
  }

  // Write a temp file, sync it, rename it over the entry: a reader sees the old or the new value,
  // and after a crash (even of the machine) the entry holds one of them.
  void put(const std::string& key, std::span<const uint8_t> value) override {
    static std::atomic<uint64_t> writes{0};  // unique temp names among all instances of the process
    const fs::path target = entries_ / encode(key, ".v");
    const fs::path temp = entries_ / (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(writes++));
    std::error_code error;
    fs::create_directories(target.parent_path(), error);  // long keys only
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0) fail("write", key);
    for (std::size_t done = 0; done < value.size();) {
      ssize_t n = ::write(fd.get(), value.data() + done, value.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) abandon(temp, "write", key);
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0 || ::rename(temp.c_str(), target.c_str()) != 0) abandon(temp, "write", key);
  }

  bool remove(const std::string& key) override {
    if (::unlink((entries_ / encode(key, ".v")).c_str()) == 0) return true;
    if (errno == ENOENT) return false;
    fail("remove", key);
  }

  std::vector<std::string> list(const std::string& prefix) override {
    std::vector<std::string> keys;
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(entries_, error); !error && it != fs::end(it);
         it.increment(error)) {
      std::error_code gone;  // an entry removed meanwhile is simply not listed
      if (!it->is_regular_file(gone)) continue;
      std::optional<std::string> key = decode(it->path().lexically_relative(entries_));
      if (key && key->starts_with(prefix)) keys.push_back(std::move(*key));
    }
    if (error) throw Error(MCPAUTH_ERR_IO, "cannot list " + entries_.string() + ": " + error.message());
    return keys;
  }

  // flock() excludes other open file descriptions, so every acquisition opens the file anew:
  // other threads, other instances and other processes all wait.
  std::unique_ptr<Lock> lock(const std::string& key, uint32_t timeout_ms) override {
    const fs::path path = locks_ / encode(key, ".lock");
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) fail("lock", key);
    auto held = std::make_unique<FileLock>(fd);
    const int64_t deadline = host_.monotonic_ms() + timeout_ms;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) fail("lock", key);
      if (host_.monotonic_ms() >= deadline) return nullptr;  // the wrapper reports MCPAUTH_ERR_TIMEOUT
      if (!host_.sleep_ms(5)) throw Error(MCPAUTH_ERR_CANCELLED, "shutting down");
    }
    return held;
  }

 private:
  [[noreturn]] static void abandon(const fs::path& temp, const std::string& what, const std::string& key) {
    const int reason = errno;
    ::unlink(temp.c_str());
    errno = reason;
    fail(what, key);
  }

  const mcpauth::sdk::Host host_;
  fs::path entries_;
  fs::path locks_;
};

struct DirStoreLibrary {
  static constexpr const char* id = "dir_store";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "One file per entry in a directory (not encrypted)";
  static constexpr const char* config_schema = R"({
    "type": "object",
    "description": "Keeps each entry in its own file, unencrypted, below path.",
    "additionalProperties": false,
    "required": ["path"],
    "properties": {
      "path": {"type": "string", "minLength": 1,
               "description": "The store directory, created (0700) if missing. Relative: to the working directory."}
    }
  })";
  using Auth = void;
  using Storage = DirStore;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(DirStoreLibrary)
