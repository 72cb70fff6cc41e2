#include "mcpauth/core/instances.h"

#include "mcpauth/core/server_store.h"

#include <cstdlib>

namespace mcpauth::core {
namespace {

// Takes ownership of host-allocated bytes from a plugin.
Bytes take(mcpauth_bytes& bytes) {
  if (bytes.data == nullptr && bytes.size > 0)
    throw PluginError(MCPAUTH_ERR_INTERNAL, "plugin returned a NULL buffer of non-zero size");
  Bytes out(bytes.data, bytes.data + bytes.size);
  host_api()->free(bytes.data);
  bytes = {};
  return out;
}

std::string take_text(mcpauth_bytes& bytes) {
  Bytes raw = take(bytes);
  return std::string(raw.begin(), raw.end());
}

// Collects what a plugin hands to a sink; an allocation failure is remembered, not thrown into
// the plugin, and reported once the plugin returns.
template <class Items>
struct Collector {
  Items items;
  bool failed = false;

  template <class... Parts>
  static void add(void* context, Parts... parts) noexcept {
    auto* self = static_cast<Collector*>(context);
    try {
      self->items.emplace_back(parts...);
    } catch (...) {
      self->failed = true;
    }
  }

  Items take() {
    if (failed) throw PluginError(MCPAUTH_ERR_NO_MEMORY, "out of memory while collecting a plugin's results");
    return std::move(items);
  }
};

// Keys are C strings at the boundary: one with a NUL would silently become another key.
const std::string& checked_key(const std::string& key) {
  if (key.find('\0') != std::string::npos)
    throw PluginError(MCPAUTH_ERR_INVALID_ARGUMENT, "storage keys cannot contain a NUL character");
  return key;
}

}  // namespace

PluginInstance::PluginInstance(std::shared_ptr<const PluginLibrary> library, InstanceSpec spec, uint32_t kind,
                               StorageInstance* storage)
    : library_(std::move(library)), spec_(std::move(spec)), context_(std::make_unique<mcpauth_host_context>()) {
  context_->log_component = "plugin " + library_->id() + " [server " + spec_.server_name + "]";
  context_->server_name = spec_.server_name;
  context_->storage = storage;
  context_->storage_key_prefix = server_key(spec_.server_name, "");
  mcpauth_instance_args args{};
  args.struct_type = MCPAUTH_STRUCT_INSTANCE_ARGS;
  args.struct_size = sizeof args;
  args.server_name = spec_.server_name.c_str();
  args.server_url = spec_.server_url.c_str();
  args.config_json = spec_.config_json.c_str();
  args.ctx = context_.get();
  args.kind = kind;
  mcpauth_error err{};
  int32_t status = library_->descriptor().create(&args, &instance_, &err);
  check(status, err, "create");
  if (instance_ == nullptr)
    throw PluginError(MCPAUTH_ERR_INTERNAL, "plugin " + library_->id() + ": create returned no instance");
}

PluginInstance::~PluginInstance() {
  context_->cancel();
  if (instance_ != nullptr) library_->descriptor().destroy(instance_);
}

void PluginInstance::check(int32_t status, const mcpauth_error& err, const char* operation) const {
  if (status == MCPAUTH_OK) return;
  std::string message(err.message, strnlen(err.message, sizeof err.message));
  if (message.empty()) message = status_name(status);
  throw PluginError(
      status, "plugin " + library_->id() + " (server " + spec_.server_name + "): " + operation + " failed: " + message);
}

StorageInstance::StorageInstance(std::shared_ptr<const PluginLibrary> library, InstanceSpec spec)
    : PluginInstance(std::move(library), std::move(spec), MCPAUTH_KIND_STORAGE, nullptr) {}

std::optional<Bytes> StorageInstance::get(const std::string& key) const {
  mcpauth_bytes value{};
  mcpauth_error err{};
  int32_t status = api().get(raw(), checked_key(key).c_str(), &value, &err);
  if (status == MCPAUTH_ERR_NOT_FOUND) return std::nullopt;
  check(status, err, "get");
  return take(value);
}

void StorageInstance::put(const std::string& key, std::span<const uint8_t> value) const {
  mcpauth_error err{};
  check(api().put(raw(), checked_key(key).c_str(), value.data(), value.size(), &err), err, "put");
}

bool StorageInstance::remove(const std::string& key) const {
  mcpauth_error err{};
  int32_t status = api().remove(raw(), checked_key(key).c_str(), &err);
  if (status == MCPAUTH_ERR_NOT_FOUND) return false;
  check(status, err, "remove");
  return true;
}

std::vector<std::string> StorageInstance::list(const std::string& prefix) const {
  Collector<std::vector<std::string>> keys;
  mcpauth_key_sink sink{&keys, Collector<std::vector<std::string>>::add<const char*>};
  mcpauth_error err{};
  check(api().list(raw(), checked_key(prefix).c_str(), &sink, &err), err, "list");
  return keys.take();
}

std::optional<std::string> StorageInstance::metadata(const std::string& key) const {
  if (api().metadata == nullptr)
    throw PluginError(MCPAUTH_ERR_UNSUPPORTED, "storage plugin " + library().id() + " offers no metadata");
  mcpauth_bytes json{};
  mcpauth_error err{};
  int32_t status = api().metadata(raw(), checked_key(key).c_str(), &json, &err);
  if (status == MCPAUTH_ERR_NOT_FOUND) return std::nullopt;
  check(status, err, "metadata");
  return take_text(json);
}

int32_t StorageInstance::lock_raw(const char* key, uint32_t timeout_ms, mcpauth_lock** lock, mcpauth_error* err) const {
  return api().lock(raw(), key, timeout_ms, lock, err);
}

void StorageInstance::unlock_raw(mcpauth_lock* lock) const { api().unlock(raw(), lock); }

AuthInstance::AuthInstance(std::shared_ptr<const PluginLibrary> library, InstanceSpec spec, StorageInstance* storage)
    : PluginInstance(std::move(library), std::move(spec), MCPAUTH_KIND_AUTH, storage) {}

HeaderList AuthInstance::get_credentials(const std::string& user) const {
  Collector<HeaderList> headers;
  mcpauth_header_sink sink{&headers, Collector<HeaderList>::add<const char*, const char*>};
  mcpauth_error err{};
  check(api().get_credentials(raw(), user.c_str(), &sink, &err), err, "get_credentials");
  return headers.take();
}

int32_t AuthInstance::on_challenge(const std::string& user, int32_t http_status,
                                   const std::string& www_authenticate) const {
  int32_t action = MCPAUTH_CHALLENGE_FAIL;
  mcpauth_error err{};
  check(api().on_challenge(raw(), user.c_str(), http_status, www_authenticate.c_str(), &action, &err), err,
        "on_challenge");
  return action;
}

AuthInstance::Authorization AuthInstance::begin_authorization(const std::string& user, const std::string& redirect_uri,
                                                              int32_t flow, const std::string& extra_scopes) const {
  mcpauth_begin_auth_args args{};
  args.struct_type = MCPAUTH_STRUCT_BEGIN_AUTH_ARGS;
  args.struct_size = sizeof args;
  args.user = user.c_str();
  args.redirect_uri = redirect_uri.c_str();
  args.flow = flow;
  args.extra_scopes = extra_scopes.c_str();
  mcpauth_authorization out{};
  out.struct_type = MCPAUTH_STRUCT_AUTHORIZATION;
  out.struct_size = sizeof out;
  mcpauth_error err{};
  int32_t status = api().begin_authorization(raw(), &args, &out, &err);
  Authorization result{take_text(out.url), take_text(out.state), take(out.pending)};
  check(status, err, "begin_authorization");
  return result;
}

void AuthInstance::complete_authorization(const std::string& user, std::span<const uint8_t> pending,
                                          const std::string& callback_query) const {
  mcpauth_error err{};
  check(api().complete_authorization(raw(), user.c_str(), pending.data(), pending.size(), callback_query.c_str(), &err),
        err, "complete_authorization");
}

void AuthInstance::refresh(const std::string& user) const {
  mcpauth_error err{};
  check(api().refresh(raw(), user.c_str(), &err), err, "refresh");
}

void AuthInstance::logout(const std::string& user) const {
  mcpauth_error err{};
  check(api().logout(raw(), user.c_str(), &err), err, "logout");
}

std::string AuthInstance::status(const std::string& user) const {
  mcpauth_bytes json{};
  mcpauth_error err{};
  int32_t status = api().status(raw(), user.c_str(), &json, &err);
  std::string text = take_text(json);
  check(status, err, "status");
  return text;
}

void AuthInstance::store_token(const std::string& user, const std::string& token,
                               const std::string& metadata_json) const {
  // NULL for plugins that do not offer it, and for those built against ABI 1.0 (the host's copy
  // of their table is zero-filled past their struct_size).
  if (api().store_token == nullptr)
    throw PluginError(MCPAUTH_ERR_UNSUPPORTED, "auth plugin " + library().id() + " (server " + server_name() +
                                                   ") does not accept stored tokens");
  // C strings at the boundary: a NUL would silently cut one short ("bob\0x" would become "bob").
  for (const std::string* text : {&user, &token, &metadata_json})
    if (text->find('\0') != std::string::npos)
      throw PluginError(MCPAUTH_ERR_INVALID_ARGUMENT, "a user name, token or metadata cannot contain a NUL character");
  mcpauth_error err{};
  check(api().store_token(raw(), user.c_str(), token.c_str(), metadata_json.c_str(), &err), err, "store_token");
}

}  // namespace mcpauth::core
