// C++ handles on plugin instances: they call through the C tables and turn status codes into
// PluginError. Each holds its library alive and owns the host context handed to the plugin.
#pragma once

#include "mcpauth/core/host_services.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/core/plugin_library.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace mcpauth::core {

using Bytes = std::vector<uint8_t>;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct InstanceSpec {
  std::string server_name;
  std::string server_url;
  std::string config_json;  // must already be valid against the plugin's schema
};

// What instances of both kinds share: creation, destruction, the host context.
class PluginInstance {
 public:
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;
  virtual ~PluginInstance();

  const PluginLibrary& library() const { return *library_; }
  const std::string& server_name() const { return spec_.server_name; }

 protected:
  PluginInstance(std::shared_ptr<const PluginLibrary> library, InstanceSpec spec, uint32_t kind,
                 StorageInstance* storage);
  mcpauth_instance* raw() const { return instance_; }
  // Throws PluginError when status is not MCPAUTH_OK.
  void check(int32_t status, const mcpauth_error& err, const char* operation) const;

 private:
  std::shared_ptr<const PluginLibrary> library_;
  InstanceSpec spec_;
  std::unique_ptr<mcpauth_host_context> context_;
  mcpauth_instance* instance_ = nullptr;
};

class StorageInstance : public PluginInstance {
 public:
  StorageInstance(std::shared_ptr<const PluginLibrary> library, InstanceSpec spec);

  std::optional<Bytes> get(const std::string& key) const;
  void put(const std::string& key, std::span<const uint8_t> value) const;
  bool remove(const std::string& key) const;  // false when absent
  std::vector<std::string> list(const std::string& prefix) const;

  // The entry's metadata JSON (see mcpauth_storage_api::metadata); nullopt when absent.
  // Throws PluginError(MCPAUTH_ERR_UNSUPPORTED) when the plugin offers none.
  std::optional<std::string> metadata(const std::string& key) const;

  bool supports_locks() const { return library().storage_api().lock != nullptr; }
  // The raw lock calls, for the host service table and tests.
  int32_t lock_raw(const char* key, uint32_t timeout_ms, mcpauth_lock** lock, mcpauth_error* err) const;
  void unlock_raw(mcpauth_lock* lock) const;

  // The raw calls behind get/put/remove/list, for the host service table.
  const mcpauth_storage_api& api() const { return library().storage_api(); }
  mcpauth_instance* handle() const { return raw(); }
};

class AuthInstance : public PluginInstance {
 public:
  // storage: the server's storage instance, which must outlive this one (may be null).
  AuthInstance(std::shared_ptr<const PluginLibrary> library, InstanceSpec spec, StorageInstance* storage);

  HeaderList get_credentials(const std::string& user) const;
  int32_t on_challenge(const std::string& user, int32_t http_status, const std::string& www_authenticate) const;

  struct Authorization {
    std::string url, state;
    Bytes pending;  // secret; only ever handed back to complete_authorization
  };
  Authorization begin_authorization(const std::string& user, const std::string& redirect_uri, int32_t flow,
                                    const std::string& extra_scopes) const;
  void complete_authorization(const std::string& user, std::span<const uint8_t> pending,
                              const std::string& callback_query) const;
  void refresh(const std::string& user) const;
  void logout(const std::string& user) const;
  std::string status(const std::string& user) const;  // JSON object
  // Hands a token from outside to the plugin for `user` ("" = server-level); metadata_json is a
  // JSON object. Throws PluginError(MCPAUTH_ERR_UNSUPPORTED) when the plugin does not offer it.
  void store_token(const std::string& user, const std::string& token, const std::string& metadata_json) const;

 private:
  const mcpauth_auth_api& api() const { return library().auth_api(); }
};

}  // namespace mcpauth::core
