// The `memory` storage plugin: a thread-safe map that lives as long as the process.
// Nothing is written to disk, so tokens are gone after a restart.
#include <mcpauth/plugin.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

namespace {

using mcpauth::sdk::Bytes;

// Exclusive named locks within this process.
class KeyLocks {
 public:
  class Held : public mcpauth::sdk::StoragePlugin::Lock {
   public:
    Held(KeyLocks& owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    ~Held() override { owner_.release(key_); }

   private:
    KeyLocks& owner_;
    std::string key_;
  };

  std::unique_ptr<Held> acquire(const std::string& key, uint32_t timeout_ms) {
    std::unique_lock lock(mutex_);
    if (!released_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return !held_.contains(key); }))
      return nullptr;
    held_.insert(key);
    return std::make_unique<Held>(*this, key);
  }

 private:
  void release(const std::string& key) {
    {
      std::lock_guard lock(mutex_);
      held_.erase(key);
    }
    released_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable released_;
  std::set<std::string> held_;
};

class MemoryStorage : public mcpauth::sdk::StoragePlugin {
 public:
  explicit MemoryStorage(const mcpauth::sdk::InstanceArgs&) {}

  std::optional<Bytes> get(const std::string& key) override {
    std::shared_lock lock(mutex_);
    auto found = values_.find(key);
    if (found == values_.end()) return std::nullopt;
    return found->second;
  }

  void put(const std::string& key, std::span<const uint8_t> value) override {
    Bytes copy(value.begin(), value.end());
    std::unique_lock lock(mutex_);
    values_.insert_or_assign(key, std::move(copy));
  }

  bool remove(const std::string& key) override {
    std::unique_lock lock(mutex_);
    return values_.erase(key) > 0;
  }

  std::vector<std::string> list(const std::string& prefix) override {
    std::shared_lock lock(mutex_);
    std::vector<std::string> keys;
    for (const auto& [key, value] : values_)
      if (key.starts_with(prefix)) keys.push_back(key);
    return keys;
  }

  std::optional<std::string> metadata(const std::string& key) override {
    std::shared_lock lock(mutex_);
    auto found = values_.find(key);
    if (found == values_.end()) return std::nullopt;
    return "{\"size\":" + std::to_string(found->second.size()) + "}";
  }

  std::unique_ptr<Lock> lock(const std::string& key, uint32_t timeout_ms) override {
    return locks_.acquire(key, timeout_ms);
  }

 private:
  std::shared_mutex mutex_;
  // Hashed, not sorted: a get stays one lookup with 100,000 entries (tests/bench/storage_bench.cpp);
  // only list, which is rare, walks them all.
  std::unordered_map<std::string, Bytes> values_;
  KeyLocks locks_;
};

struct MemoryLibrary {
  static constexpr const char* id = "memory";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "In-memory storage for the life of the process (lost on restart)";
  static constexpr const char* config_schema = R"({"type":"object","additionalProperties":false})";
  using Auth = void;
  using Storage = MemoryStorage;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(MemoryLibrary)
