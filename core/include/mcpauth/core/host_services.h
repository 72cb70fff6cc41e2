// The table of host services handed to every plugin, and the per-instance context behind it.
#pragma once

#include <mcpauth/plugin_abi.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>

namespace mcpauth::core {
class StorageInstance;
}

// Defined here (declared opaque in the C header): what the host knows about one instance.
struct mcpauth_host_context {
  std::string log_component;                          // e.g. "plugin oauth21 [server github]"
  std::string server_name;
  mcpauth::core::StorageInstance* storage = nullptr;  // the server's storage; null for storage plugins
  std::string storage_key_prefix;                     // "<server>/": see server_store.h
  std::atomic<bool> cancelled{false};
  std::mutex mutex;
  std::condition_variable wake;

  // Cuts short every sleep_ms of this instance, now and later.
  void cancel();
};

namespace mcpauth::core {

// The one host API table (static, valid for the whole process).
const mcpauth_host_api* host_api();

}  // namespace mcpauth::core
