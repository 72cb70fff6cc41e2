// Header-only C++ wrapper over plugin_abi.h for plugin authors.
//
// Write a class deriving from AuthPlugin and/or StoragePlugin, describe the library in a struct,
// and export it with one macro:
//
//   struct MyAuth : mcpauth::sdk::AuthPlugin { ... };
//   struct MyLibrary {
//     static constexpr const char* id = "my_auth";
//     static constexpr const char* version = "1.0.0";
//     static constexpr const char* description = "What it does, in one line";
//     static constexpr const char* config_schema = R"({"type":"object"})";
//     using Auth = MyAuth;      // or void
//     using Storage = void;     // or a StoragePlugin subclass
//   };
//   MCPAUTH_EXPORT_PLUGIN(MyLibrary)
//
// Every call from the host goes through a noexcept trampoline: an mcpauth::sdk::Error becomes its
// status code and message, any other exception MCPAUTH_ERR_INTERNAL. Nothing C++ crosses the ABI.
#ifndef MCPAUTH_PLUGIN_HPP
#define MCPAUTH_PLUGIN_HPP

#include <mcpauth/plugin_abi.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mcpauth::sdk {

// An error with an mcpauth status code. Messages must not contain secrets.
class Error : public std::runtime_error {
 public:
  Error(int32_t status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int32_t status() const noexcept { return status_; }

 private:
  int32_t status_;
};

inline void write_error(mcpauth_error* err, const char* message) noexcept {
  if (err == nullptr) return;
  std::size_t n = std::min(std::strlen(message), sizeof(err->message) - 1);
  std::memcpy(err->message, message, n);
  err->message[n] = '\0';
}

using Bytes = std::vector<uint8_t>;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  uint32_t timeout_ms = 0;     // 0: host default
  uint32_t max_redirects = 0;  // 0: redirects are returned, not followed
  uint64_t max_response_bytes = 0;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string final_url;

  // First header with this name (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        return value;
    }
    return std::nullopt;
  }
};

// The host's services as seen by one instance.
class Host {
 public:
  Host(const mcpauth_host_api* api, mcpauth_host_context* ctx) : api_(api), ctx_(ctx) {}

  const mcpauth_host_api* api() const { return api_; }
  mcpauth_host_context* context() const { return ctx_; }

  void log(int32_t level, const std::string& message) const { api_->log(ctx_, level, message.c_str()); }
  int64_t now_unix_ms() const { return api_->now_unix_ms(); }
  int64_t monotonic_ms() const { return api_->monotonic_ms(); }

  Bytes random_bytes(std::size_t size) const {
    Bytes out(size);
    mcpauth_error err{};
    check(api_->random_bytes(out.data(), out.size(), &err), err);
    return out;
  }

  HttpResponse http(const HttpRequest& request) const {
    std::vector<mcpauth_header> headers;
    headers.reserve(request.headers.size());
    for (const auto& [name, value] : request.headers) headers.push_back({name.c_str(), value.c_str()});
    mcpauth_http_request raw{};
    raw.struct_type = MCPAUTH_STRUCT_HTTP_REQUEST;
    raw.struct_size = sizeof raw;
    raw.method = request.method.c_str();
    raw.url = request.url.c_str();
    raw.headers = headers.data();
    raw.header_count = headers.size();
    raw.body = reinterpret_cast<const uint8_t*>(request.body.data());
    raw.body_size = request.body.size();
    raw.timeout_ms = request.timeout_ms;
    raw.max_redirects = request.max_redirects;
    raw.max_response_bytes = request.max_response_bytes;
    mcpauth_http_response out{};
    out.struct_type = MCPAUTH_STRUCT_HTTP_RESPONSE;
    out.struct_size = sizeof out;
    mcpauth_error err{};
    check(api_->http_request(ctx_, &raw, &out, &err), err);
    HttpResponse response;
    response.status = out.status;
    for (uint64_t i = 0; i < out.header_count; ++i)
      response.headers.emplace_back(out.headers[i].name, out.headers[i].value);
    response.body.assign(reinterpret_cast<const char*>(out.body), out.body_size);
    if (out.final_url != nullptr) response.final_url = out.final_url;
    api_->http_response_free(&out);
    return response;
  }

  void open_url(const std::string& url) const {
    mcpauth_error err{};
    check(api_->open_url(ctx_, url.c_str(), &err), err);
  }

  // See mcpauth_host_api::count_event.
  void count_event(const char* event) const { api_->count_event(ctx_, event); }

  // False when the host cancelled the sleep because the instance is shutting down.
  bool sleep_ms(uint64_t milliseconds) const { return api_->sleep_ms(ctx_, milliseconds) == MCPAUTH_OK; }

  // The storage bound to the same server.
  std::optional<Bytes> storage_get(const std::string& key) const {
    mcpauth_bytes value{};
    mcpauth_error err{};
    int32_t status = api_->storage_get(ctx_, key.c_str(), &value, &err);
    if (status == MCPAUTH_ERR_NOT_FOUND) return std::nullopt;
    check(status, err);
    Bytes out(value.data, value.data + value.size);
    api_->free(value.data);
    return out;
  }

  void storage_put(const std::string& key, std::span<const uint8_t> data) const {
    mcpauth_error err{};
    check(api_->storage_put(ctx_, key.c_str(), data.data(), data.size(), &err), err);
  }

  // False when there was nothing to delete.
  bool storage_delete(const std::string& key) const {
    mcpauth_error err{};
    int32_t status = api_->storage_delete(ctx_, key.c_str(), &err);
    if (status == MCPAUTH_ERR_NOT_FOUND) return false;
    check(status, err);
    return true;
  }

  std::vector<std::string> storage_list(const std::string& prefix) const {
    std::vector<std::string> keys;
    mcpauth_key_sink sink{&keys, [](void* context, const char* key) {
                            try {
                              static_cast<std::vector<std::string>*>(context)->emplace_back(key);
                            } catch (...) {  // a sink must not throw across the boundary
                            }
                          }};
    mcpauth_error err{};
    check(api_->storage_list(ctx_, prefix.c_str(), &sink, &err), err);
    return keys;
  }

  // Exclusive lock on a key name in the server's storage, released by the destructor.
  class StorageLock {
   public:
    StorageLock(const Host* host, mcpauth_lock* lock) : host_(host), lock_(lock) {}
    StorageLock(StorageLock&& other) noexcept : host_(other.host_), lock_(std::exchange(other.lock_, nullptr)) {}
    StorageLock(const StorageLock&) = delete;
    StorageLock& operator=(const StorageLock&) = delete;
    StorageLock& operator=(StorageLock&&) = delete;
    ~StorageLock() {
      if (lock_ != nullptr) host_->api_->storage_unlock(host_->ctx_, lock_);
    }

   private:
    const Host* host_;
    mcpauth_lock* lock_;
  };

  // Throws Error(MCPAUTH_ERR_TIMEOUT) when not acquired in time.
  StorageLock storage_lock(const std::string& key, uint32_t timeout_ms) const {
    mcpauth_lock* lock = nullptr;
    mcpauth_error err{};
    check(api_->storage_lock(ctx_, key.c_str(), timeout_ms, &lock, &err), err);
    return StorageLock(this, lock);
  }

  // Copies data into host-allocated memory: the form in which bytes are handed to the host.
  mcpauth_bytes transfer(std::string_view data) const {
    mcpauth_bytes out{nullptr, data.size()};
    if (data.empty()) return out;
    out.data = static_cast<uint8_t*>(api_->alloc(data.size()));
    if (out.data == nullptr) throw std::bad_alloc();
    std::memcpy(out.data, data.data(), data.size());
    return out;
  }

 private:
  static void check(int32_t status, const mcpauth_error& err) {
    if (status != MCPAUTH_OK) throw Error(status, err.message);
  }

  const mcpauth_host_api* api_;
  mcpauth_host_context* ctx_;
};

// What every instance is constructed from.
struct InstanceArgs {
  std::string server_name;
  std::string server_url;
  std::string config_json;  // validated against the plugin's config_schema by the host
  Host host;
};

struct BeginAuthorization {
  std::string user;
  std::string redirect_uri;
  int32_t flow = MCPAUTH_FLOW_LOOPBACK;
  std::string extra_scopes;
};

struct Authorization {
  std::string url;
  std::string state;
  std::string pending;  // opaque and secret; handed back to complete_authorization
};

// Base class of auth plugins. Only get_credentials and status are mandatory. Override
// store_token() to offer that optional call.
class AuthPlugin {
 public:
  virtual ~AuthPlugin() = default;
  // Add the headers a request for `user` needs; throw Error(MCPAUTH_ERR_AUTH_REQUIRED) if none.
  virtual void get_credentials(const std::string& user, Headers& headers) = 0;
  // A JSON object describing the user's state, without secrets.
  virtual std::string status(const std::string& user) = 0;

  virtual int32_t on_challenge(const std::string& /*user*/, int /*http_status*/,
                               const std::string& /*www_authenticate*/) {
    return MCPAUTH_CHALLENGE_FAIL;
  }
  virtual Authorization begin_authorization(const BeginAuthorization& /*args*/) {
    throw Error(MCPAUTH_ERR_UNSUPPORTED, "this auth plugin has no interactive authorization");
  }
  virtual void complete_authorization(const std::string& /*user*/, const std::string& /*pending*/,
                                      const std::string& /*callback_query*/) {
    throw Error(MCPAUTH_ERR_UNSUPPORTED, "this auth plugin has no interactive authorization");
  }
  virtual void refresh(const std::string& /*user*/) {
    throw Error(MCPAUTH_ERR_UNSUPPORTED, "this auth plugin has nothing to refresh");
  }
  virtual void logout(const std::string& /*user*/) {}
  // Validate and store a token supplied from outside for `user` ("" = server-level); see
  // mcpauth_auth_api::store_token. Refuse with Error(MCPAUTH_ERR_INVALID_ARGUMENT), never
  // quoting the token.
  virtual void store_token(const std::string& /*user*/, const std::string& /*token*/,
                           const std::string& /*metadata_json*/) {
    throw Error(MCPAUTH_ERR_UNSUPPORTED, "this auth plugin does not accept stored tokens");
  }
};

// Base class of storage plugins. Override lock() and/or metadata() to offer those optional calls.
class StoragePlugin {
 public:
  // A held lock; destroying it releases the lock.
  class Lock {
   public:
    virtual ~Lock() = default;
  };

  virtual ~StoragePlugin() = default;
  virtual std::optional<Bytes> get(const std::string& key) = 0;
  virtual void put(const std::string& key, std::span<const uint8_t> value) = 0;
  virtual bool remove(const std::string& key) = 0;  // false when absent
  virtual std::vector<std::string> list(const std::string& prefix) = 0;
  // nullptr when not acquired within timeout_ms.
  virtual std::unique_ptr<Lock> lock(const std::string& /*key*/, uint32_t /*timeout_ms*/) {
    throw Error(MCPAUTH_ERR_UNSUPPORTED, "this storage plugin has no locks");
  }
  // A JSON object describing the entry without its value (see mcpauth_storage_api::metadata);
  // nullopt when absent.
  virtual std::optional<std::string> metadata(const std::string& /*key*/) {
    throw Error(MCPAUTH_ERR_UNSUPPORTED, "this storage plugin offers no metadata");
  }
};

namespace detail {

inline const mcpauth_host_api*& host_api() {
  static const mcpauth_host_api* api = nullptr;
  return api;
}

// Runs body, turning every exception into a status code and a message.
template <class Body>
int32_t guarded(mcpauth_error* err, Body&& body) noexcept {
  try {
    body();
    return MCPAUTH_OK;
  } catch (const Error& e) {
    write_error(err, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    write_error(err, "out of memory");
    return MCPAUTH_ERR_NO_MEMORY;
  } catch (const std::exception& e) {
    write_error(err, (std::string("internal error: ") + e.what()).c_str());
    return MCPAUTH_ERR_INTERNAL;
  } catch (...) {
    write_error(err, "internal error: unknown exception");
    return MCPAUTH_ERR_INTERNAL;
  }
}

// What an mcpauth_instance* points to.
struct Box {
  std::unique_ptr<AuthPlugin> auth;
  std::unique_ptr<StoragePlugin> storage;
  Host host;
};

inline Box* box(mcpauth_instance* instance) { return reinterpret_cast<Box*>(instance); }

struct LockBox {
  std::unique_ptr<StoragePlugin::Lock> lock;
};

inline std::string text(const char* s) { return s == nullptr ? std::string() : std::string(s); }

template <class Auth>
struct AuthTrampolines {
  static int32_t get_credentials(mcpauth_instance* instance, const char* user, const mcpauth_header_sink* sink,
                                 mcpauth_error* err) noexcept {
    return guarded(err, [&] {
      Headers headers;
      box(instance)->auth->get_credentials(text(user), headers);
      for (const auto& [name, value] : headers) sink->add(sink->context, name.c_str(), value.c_str());
    });
  }
  static int32_t on_challenge(mcpauth_instance* instance, const char* user, int32_t http_status,
                              const char* www_authenticate, int32_t* action, mcpauth_error* err) noexcept {
    return guarded(
        err, [&] { *action = box(instance)->auth->on_challenge(text(user), http_status, text(www_authenticate)); });
  }
  static int32_t begin_authorization(mcpauth_instance* instance, const mcpauth_begin_auth_args* args,
                                     mcpauth_authorization* out, mcpauth_error* err) noexcept {
    return guarded(err, [&] {
      BeginAuthorization begin{text(args->user), text(args->redirect_uri), args->flow, text(args->extra_scopes)};
      Authorization result = box(instance)->auth->begin_authorization(begin);
      const Host& host = box(instance)->host;
      mcpauth_bytes url = host.transfer(result.url);
      mcpauth_bytes state{}, pending{};
      try {
        state = host.transfer(result.state);
        pending = host.transfer(result.pending);
      } catch (...) {
        host.api()->free(url.data);
        host.api()->free(state.data);
        throw;
      }
      out->url = url;
      out->state = state;
      out->pending = pending;
    });
  }
  static int32_t complete_authorization(mcpauth_instance* instance, const char* user, const uint8_t* pending,
                                        uint64_t pending_size, const char* callback_query,
                                        mcpauth_error* err) noexcept {
    return guarded(err, [&] {
      std::string pending_text(reinterpret_cast<const char*>(pending), pending_size);
      box(instance)->auth->complete_authorization(text(user), pending_text, text(callback_query));
    });
  }
  static int32_t refresh(mcpauth_instance* instance, const char* user, mcpauth_error* err) noexcept {
    return guarded(err, [&] { box(instance)->auth->refresh(text(user)); });
  }
  static int32_t logout(mcpauth_instance* instance, const char* user, mcpauth_error* err) noexcept {
    return guarded(err, [&] { box(instance)->auth->logout(text(user)); });
  }
  static int32_t status(mcpauth_instance* instance, const char* user, mcpauth_bytes* json,
                        mcpauth_error* err) noexcept {
    return guarded(err, [&] { *json = box(instance)->host.transfer(box(instance)->auth->status(text(user))); });
  }
  static int32_t store_token(mcpauth_instance* instance, const char* user, const char* token, const char* metadata_json,
                             mcpauth_error* err) noexcept {
    return guarded(err, [&] { box(instance)->auth->store_token(text(user), text(token), text(metadata_json)); });
  }

  // Optional functions are offered only by classes that override them (see StorageTrampolines).
  static constexpr bool offers_store_token =
      !std::is_same_v<decltype(&Auth::store_token), decltype(&AuthPlugin::store_token)>;

  static constexpr mcpauth_auth_api table{MCPAUTH_STRUCT_AUTH_API,
                                          sizeof(mcpauth_auth_api),
                                          get_credentials,
                                          on_challenge,
                                          begin_authorization,
                                          complete_authorization,
                                          refresh,
                                          logout,
                                          status,
                                          offers_store_token ? store_token : nullptr};
};

template <class Storage>
struct StorageTrampolines {
  static int32_t get(mcpauth_instance* instance, const char* key, mcpauth_bytes* value, mcpauth_error* err) noexcept {
    int32_t status = MCPAUTH_OK;
    int32_t result = guarded(err, [&] {
      std::optional<Bytes> found = box(instance)->storage->get(text(key));
      if (!found) {
        write_error(err, "no such key");
        status = MCPAUTH_ERR_NOT_FOUND;
        return;
      }
      *value =
          box(instance)->host.transfer(std::string_view(reinterpret_cast<const char*>(found->data()), found->size()));
    });
    return result == MCPAUTH_OK ? status : result;
  }
  static int32_t put(mcpauth_instance* instance, const char* key, const uint8_t* data, uint64_t size,
                     mcpauth_error* err) noexcept {
    return guarded(err, [&] { box(instance)->storage->put(text(key), std::span<const uint8_t>(data, size)); });
  }
  static int32_t remove(mcpauth_instance* instance, const char* key, mcpauth_error* err) noexcept {
    bool removed = true;
    int32_t result = guarded(err, [&] { removed = box(instance)->storage->remove(text(key)); });
    if (result == MCPAUTH_OK && !removed) {
      write_error(err, "no such key");
      return MCPAUTH_ERR_NOT_FOUND;
    }
    return result;
  }
  static int32_t list(mcpauth_instance* instance, const char* prefix, const mcpauth_key_sink* sink,
                      mcpauth_error* err) noexcept {
    return guarded(err, [&] {
      for (const std::string& key : box(instance)->storage->list(text(prefix))) sink->add(sink->context, key.c_str());
    });
  }
  static int32_t lock(mcpauth_instance* instance, const char* key, uint32_t timeout_ms, mcpauth_lock** out,
                      mcpauth_error* err) noexcept {
    return guarded(err, [&] {
      std::unique_ptr<StoragePlugin::Lock> held = box(instance)->storage->lock(text(key), timeout_ms);
      if (!held) throw Error(MCPAUTH_ERR_TIMEOUT, "lock not acquired within " + std::to_string(timeout_ms) + " ms");
      *out = reinterpret_cast<mcpauth_lock*>(new LockBox{std::move(held)});
    });
  }
  static void unlock(mcpauth_instance*, mcpauth_lock* lock) noexcept {
    try {
      delete reinterpret_cast<LockBox*>(lock);
    } catch (...) {  // a lock destructor that throws is a plugin bug; never let it cross
    }
  }

  static int32_t metadata(mcpauth_instance* instance, const char* key, mcpauth_bytes* json,
                          mcpauth_error* err) noexcept {
    int32_t status = MCPAUTH_OK;
    int32_t result = guarded(err, [&] {
      std::optional<std::string> found = box(instance)->storage->metadata(text(key));
      if (!found) {
        write_error(err, "no such key");
        status = MCPAUTH_ERR_NOT_FOUND;
        return;
      }
      *json = box(instance)->host.transfer(*found);
    });
    return result == MCPAUTH_OK ? status : result;
  }

  // Optional functions are offered only by classes that override them (the member pointer's
  // class is then Storage, not StoragePlugin).
  static constexpr bool offers_locks = !std::is_same_v<decltype(&Storage::lock), decltype(&StoragePlugin::lock)>;
  static constexpr bool offers_metadata =
      !std::is_same_v<decltype(&Storage::metadata), decltype(&StoragePlugin::metadata)>;

  static constexpr mcpauth_storage_api table{MCPAUTH_STRUCT_STORAGE_API,
                                             sizeof(mcpauth_storage_api),
                                             get,
                                             put,
                                             remove,
                                             list,
                                             offers_locks ? lock : nullptr,
                                             offers_locks ? unlock : nullptr,
                                             offers_metadata ? metadata : nullptr};
};

template <class T>
constexpr bool is_plugin_class = !std::is_void_v<T>;

template <class Library>
struct Exporter {
  using Auth = typename Library::Auth;
  using Storage = typename Library::Storage;
  static_assert(is_plugin_class<Auth> || is_plugin_class<Storage>, "a plugin needs an Auth or a Storage class");
  static_assert(std::is_void_v<Auth> || std::is_base_of_v<AuthPlugin, Auth>,
                "Auth must derive from mcpauth::sdk::AuthPlugin");
  static_assert(std::is_void_v<Storage> || std::is_base_of_v<StoragePlugin, Storage>,
                "Storage must derive from mcpauth::sdk::StoragePlugin");

  static int32_t create(const mcpauth_instance_args* args, mcpauth_instance** instance, mcpauth_error* err) noexcept {
    return guarded(err, [&] {
      Host host(host_api(), args->ctx);
      InstanceArgs instance_args{text(args->server_name), text(args->server_url), text(args->config_json), host};
      auto made = std::make_unique<Box>(Box{nullptr, nullptr, host});
      if (args->kind == MCPAUTH_KIND_AUTH) {
        if constexpr (is_plugin_class<Auth>) made->auth = std::make_unique<Auth>(instance_args);
      } else if (args->kind == MCPAUTH_KIND_STORAGE) {
        if constexpr (is_plugin_class<Storage>) made->storage = std::make_unique<Storage>(instance_args);
      }
      if (!made->auth && !made->storage)
        throw Error(MCPAUTH_ERR_INVALID_ARGUMENT, "this plugin does not provide that kind");
      *instance = reinterpret_cast<mcpauth_instance*>(made.release());
    });
  }

  static void destroy(mcpauth_instance* instance) noexcept {
    try {
      delete box(instance);
    } catch (...) {  // a throwing destructor is a plugin bug; never let it cross
    }
  }

  static constexpr uint32_t kinds() {
    return (is_plugin_class<Auth> ? MCPAUTH_KIND_AUTH : 0u) | (is_plugin_class<Storage> ? MCPAUTH_KIND_STORAGE : 0u);
  }

  static const mcpauth_auth_api* auth_table() {
    if constexpr (is_plugin_class<Auth>) return &AuthTrampolines<Auth>::table;
    return nullptr;
  }
  static const mcpauth_storage_api* storage_table() {
    if constexpr (is_plugin_class<Storage>) return &StorageTrampolines<Storage>::table;
    return nullptr;
  }

  static int32_t entry(mcpauth_negotiation* negotiation, mcpauth_error* err) noexcept {
    return guarded(err, [&] {
      if (negotiation->host_abi_major != MCPAUTH_ABI_MAJOR)
        throw Error(MCPAUTH_ERR_UNSUPPORTED, "plugin needs host ABI major " + std::to_string(MCPAUTH_ABI_MAJOR));
      if (negotiation->host == nullptr || negotiation->host->struct_size < sizeof(mcpauth_host_api))
        throw Error(MCPAUTH_ERR_UNSUPPORTED, "host API table is older than this plugin needs");
      host_api() = negotiation->host;
      static const mcpauth_plugin_descriptor descriptor{MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR,
                                                        sizeof(mcpauth_plugin_descriptor),
                                                        MCPAUTH_ABI_MAJOR,
                                                        MCPAUTH_ABI_MINOR,
                                                        Library::id,
                                                        Library::version,
                                                        Library::description,
                                                        kinds(),
                                                        0,
                                                        Library::config_schema,
                                                        create,
                                                        destroy,
                                                        auth_table(),
                                                        storage_table()};
      negotiation->descriptor = &descriptor;
    });
  }
};

}  // namespace detail
}  // namespace mcpauth::sdk

// Exports the library's one entry symbol. Use once per plugin library, at namespace scope.
#define MCPAUTH_EXPORT_PLUGIN(LIBRARY)                                                                               \
  extern "C" __attribute__((visibility("default"))) int32_t MCPAUTH_ENTRY_FUNCTION(mcpauth_negotiation* negotiation, \
                                                                                   mcpauth_error* err) {             \
    return ::mcpauth::sdk::detail::Exporter<LIBRARY>::entry(negotiation, err);                                       \
  }

#endif  // MCPAUTH_PLUGIN_HPP
