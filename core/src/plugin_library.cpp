#include "mcpauth/core/plugin_library.h"

#include "mcpauth/core/host_services.h"

#include <algorithm>
#include <cstring>

namespace mcpauth::core {
namespace {

// The smallest struct sizes a 1.0 plugin may report: every member of 1.0 present. Written as the
// end of the last 1.0 member so they stay right when later minors append members.
constexpr size_t kDescriptorMinSize = offsetof(mcpauth_plugin_descriptor, storage) + sizeof(void*);
constexpr size_t kAuthApiMinSize = offsetof(mcpauth_auth_api, status) + sizeof(void*);
constexpr size_t kStorageApiMinSize = offsetof(mcpauth_storage_api, metadata) + sizeof(void*);

std::string describe_version(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Copies a plugin's struct into a zero-filled host-sized one, after checking its declared size.
template <class T>
T copy_struct(const T* raw, size_t min_size, uint32_t expected_type, const char* what) {
  if (raw == nullptr) throw PluginLoadError(std::string(what) + " is NULL");
  if (raw->struct_type != expected_type)
    throw PluginLoadError(std::string(what) + " has struct_type " + std::to_string(raw->struct_type) + ", expected " +
                          std::to_string(expected_type));
  if (raw->struct_size < min_size)
    throw PluginLoadError(std::string(what) + " struct_size " + std::to_string(raw->struct_size) +
                          " is smaller than the ABI 1.0 minimum " + std::to_string(min_size));
  T copy{};
  std::memcpy(&copy, raw, std::min<size_t>(raw->struct_size, sizeof(T)));
  copy.struct_size = sizeof(T);
  return copy;
}

void require(const void* function, const char* name) {
  if (function == nullptr) throw PluginLoadError(std::string("required function ") + name + " is NULL");
}

std::string checked_text(const char* text, const char* what) {
  if (text == nullptr) throw PluginLoadError(std::string(what) + " is NULL");
  return text;
}

}  // namespace

bool is_valid_plugin_id(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::filesystem::path& path) {
  std::shared_ptr<PluginLibrary> plugin(new PluginLibrary());
  plugin->path_ = path;
  try {
    // rtld_local: a plugin's symbols never satisfy another plugin's (or the host's) references.
    plugin->library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw PluginLoadError(std::string("not a loadable plugin library: ") + e.what());
  }
  plugin->negotiate();
  return plugin;
}

void PluginLibrary::negotiate() {
  if (!library_.has(MCPAUTH_ENTRY_SYMBOL))
    throw PluginLoadError(std::string("missing entry symbol ") + MCPAUTH_ENTRY_SYMBOL +
                          " (not an mcpauth plugin, or built for another ABI major version)");
  auto& entry = library_.get<int32_t(mcpauth_negotiation*, mcpauth_error*)>(MCPAUTH_ENTRY_SYMBOL);

  mcpauth_negotiation negotiation{};
  negotiation.struct_type = MCPAUTH_STRUCT_NEGOTIATION;
  negotiation.struct_size = sizeof negotiation;
  negotiation.host_abi_major = MCPAUTH_ABI_MAJOR;
  negotiation.host_abi_minor = MCPAUTH_ABI_MINOR;
  negotiation.host = host_api();
  mcpauth_error err{};
  int32_t status = entry(&negotiation, &err);
  if (status != MCPAUTH_OK) {
    err.message[sizeof err.message - 1] = '\0';
    throw PluginLoadError(std::string("entry function refused to load: ") + err.message);
  }
  const mcpauth_plugin_descriptor* raw = negotiation.descriptor;
  if (raw == nullptr) throw PluginLoadError("entry function returned no descriptor");
  // Check the version before the size: a newer plugin's struct may legitimately be larger.
  if (raw->struct_type == MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR &&
      raw->struct_size >= offsetof(mcpauth_plugin_descriptor, id)) {
    if (raw->abi_major != MCPAUTH_ABI_MAJOR)
      throw PluginLoadError("built for ABI " + describe_version(raw->abi_major, raw->abi_minor) +
                            ", this host speaks ABI " + describe_version(MCPAUTH_ABI_MAJOR, MCPAUTH_ABI_MINOR));
    if (raw->abi_minor > MCPAUTH_ABI_MINOR)
      throw PluginLoadError("built for ABI " + describe_version(raw->abi_major, raw->abi_minor) +
                            ", newer than this host's ABI " + describe_version(MCPAUTH_ABI_MAJOR, MCPAUTH_ABI_MINOR) +
                            ": upgrade mcpauth or rebuild the plugin against this SDK");
  }
  validate_descriptor(*raw);
  copy_tables(*raw);
}

void PluginLibrary::validate_descriptor(const mcpauth_plugin_descriptor& raw) {
  descriptor_ = copy_struct(&raw, kDescriptorMinSize, MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR, "plugin descriptor");
  id_ = checked_text(descriptor_.id, "plugin id");
  if (!is_valid_plugin_id(id_))
    throw PluginLoadError("plugin id '" + id_.substr(0, 64) + "' is invalid: use 1-64 characters of [a-z0-9_]");
  version_ = checked_text(descriptor_.version, "plugin version");
  description_ = checked_text(descriptor_.description, "plugin description");
  constexpr uint32_t known_kinds = MCPAUTH_KIND_AUTH | MCPAUTH_KIND_STORAGE;
  if (descriptor_.kinds == 0 || (descriptor_.kinds & ~known_kinds) != 0)
    throw PluginLoadError("plugin kinds " + std::to_string(descriptor_.kinds) + " are invalid (1 = auth, 2 = storage)");
  require(reinterpret_cast<const void*>(descriptor_.create), "create");
  require(reinterpret_cast<const void*>(descriptor_.destroy), "destroy");
  schema_text_ = checked_text(descriptor_.config_schema, "config schema");
  try {
    schema_ = std::make_unique<schema::Schema>(schema::Schema::compile(schema_text_));
  } catch (const std::exception& e) {
    throw PluginLoadError(std::string("config schema is invalid: ") + e.what());
  }
}

void PluginLibrary::copy_tables(const mcpauth_plugin_descriptor& raw) {
  if (has_kind(MCPAUTH_KIND_AUTH)) {
    auth_ = copy_struct(raw.auth, kAuthApiMinSize, MCPAUTH_STRUCT_AUTH_API, "auth function table");
    require(reinterpret_cast<const void*>(auth_.get_credentials), "auth.get_credentials");
    require(reinterpret_cast<const void*>(auth_.on_challenge), "auth.on_challenge");
    require(reinterpret_cast<const void*>(auth_.begin_authorization), "auth.begin_authorization");
    require(reinterpret_cast<const void*>(auth_.complete_authorization), "auth.complete_authorization");
    require(reinterpret_cast<const void*>(auth_.refresh), "auth.refresh");
    require(reinterpret_cast<const void*>(auth_.logout), "auth.logout");
    require(reinterpret_cast<const void*>(auth_.status), "auth.status");
  }
  if (has_kind(MCPAUTH_KIND_STORAGE)) {
    storage_ = copy_struct(raw.storage, kStorageApiMinSize, MCPAUTH_STRUCT_STORAGE_API, "storage function table");
    require(reinterpret_cast<const void*>(storage_.get), "storage.get");
    require(reinterpret_cast<const void*>(storage_.put), "storage.put");
    require(reinterpret_cast<const void*>(storage_.remove), "storage.remove");
    require(reinterpret_cast<const void*>(storage_.list), "storage.list");
    if ((storage_.lock == nullptr) != (storage_.unlock == nullptr))
      throw PluginLoadError("storage.lock and storage.unlock must both be set or both be NULL");
  }
}

}  // namespace mcpauth::core
