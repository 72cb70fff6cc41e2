#include "mcpauth/core/host_services.h"

#include "mcpauth/core/browser.h"
#include "mcpauth/core/event_counts.h"
#include "mcpauth/core/http_client.h"
#include "mcpauth/core/instances.h"
#include "mcpauth/core/log.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

void mcpauth_host_context::cancel() {
  {
    std::lock_guard lock(mutex);
    cancelled = true;
  }
  wake.notify_all();
}

namespace mcpauth::core {
namespace {

void set_error(mcpauth_error* err, std::string_view message) {
  if (err == nullptr) return;
  size_t n = std::min(message.size(), sizeof(err->message) - 1);
  std::memcpy(err->message, message.data(), n);
  err->message[n] = '\0';
}

// Runs body for a host service, converting exceptions into a status and message.
template <class Body>
int32_t serve(mcpauth_error* err, Body&& body) noexcept {
  try {
    return body();
  } catch (const PluginError& e) {
    set_error(err, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    set_error(err, "out of memory");
    return MCPAUTH_ERR_NO_MEMORY;
  } catch (const std::exception& e) {
    set_error(err, e.what());
    return MCPAUTH_ERR_INTERNAL;
  }
}

void* host_alloc(uint64_t size) { return std::malloc(size == 0 ? 1 : size); }
void host_free(void* pointer) { std::free(pointer); }

void host_log(mcpauth_host_context* ctx, int32_t level, const char* message) {
  try {
    LogLevel parsed = level <= MCPAUTH_LOG_DEBUG  ? LogLevel::debug
                      : level == MCPAUTH_LOG_INFO ? LogLevel::info
                      : level == MCPAUTH_LOG_WARN ? LogLevel::warn
                                                  : LogLevel::error;
    log(parsed, ctx != nullptr ? ctx->log_component : std::string("plugin"), message != nullptr ? message : "");
  } catch (...) {  // logging must never fail the caller
  }
}

int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int32_t random_bytes(uint8_t* out, uint64_t size, mcpauth_error* err) {
  while (size > 0) {
    int chunk = static_cast<int>(std::min<uint64_t>(size, 1 << 20));
    if (RAND_bytes(out, chunk) != 1) {
      set_error(err, "the system random number generator failed");
      return MCPAUTH_ERR_INTERNAL;
    }
    out += chunk;
    size -= static_cast<uint64_t>(chunk);
  }
  return MCPAUTH_OK;
}

char* copy_string(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

void http_response_free(mcpauth_http_response* response) {
  if (response == nullptr) return;
  for (uint64_t i = 0; i < response->header_count; ++i) {
    std::free(const_cast<char*>(response->headers[i].name));
    std::free(const_cast<char*>(response->headers[i].value));
  }
  std::free(response->headers);
  std::free(response->body);
  std::free(response->final_url);
  response->headers = nullptr;
  response->header_count = 0;
  response->body = nullptr;
  response->body_size = 0;
  response->final_url = nullptr;
}

// Fills the C response from the C++ one; on failure frees what it filled.
void export_response(const sdk::HttpResponse& in, mcpauth_http_response* out) {
  *out = mcpauth_http_response{};
  out->struct_type = MCPAUTH_STRUCT_HTTP_RESPONSE;
  out->struct_size = sizeof *out;
  out->status = in.status;
  try {
    out->headers = static_cast<mcpauth_header*>(std::calloc(in.headers.size() + 1, sizeof(mcpauth_header)));
    if (out->headers == nullptr) throw std::bad_alloc();
    for (const auto& [name, value] : in.headers) {
      out->headers[out->header_count].name = copy_string(name);
      ++out->header_count;  // counted as soon as name is owned, so http_response_free sees it
      out->headers[out->header_count - 1].value = copy_string(value);
    }
    out->body = static_cast<uint8_t*>(std::malloc(in.body.size() + 1));
    if (out->body == nullptr) throw std::bad_alloc();
    std::memcpy(out->body, in.body.data(), in.body.size());
    out->body_size = in.body.size();
    out->final_url = copy_string(in.final_url);
  } catch (...) {
    http_response_free(out);
    throw;
  }
}

int32_t http_request(mcpauth_host_context*, const mcpauth_http_request* request, mcpauth_http_response* response,
                     mcpauth_error* err) {
  return serve(err, [&] {
    if (request == nullptr || response == nullptr || request->method == nullptr || request->url == nullptr)
      throw PluginError(MCPAUTH_ERR_INVALID_ARGUMENT, "http_request: request, method and url are required");
    if (request->struct_size < offsetof(mcpauth_http_request, max_response_bytes) + sizeof(uint64_t))
      throw PluginError(MCPAUTH_ERR_INVALID_ARGUMENT, "http_request: request struct_size is too small");
    sdk::HttpRequest in;
    in.method = request->method;
    in.url = request->url;
    for (uint64_t i = 0; i < request->header_count; ++i)
      in.headers.emplace_back(request->headers[i].name, request->headers[i].value);
    if (request->body_size > 0) in.body.assign(reinterpret_cast<const char*>(request->body), request->body_size);
    in.timeout_ms = request->timeout_ms;
    in.max_redirects = request->max_redirects;
    in.max_response_bytes = request->max_response_bytes;
    export_response(http_fetch(in), response);
    return MCPAUTH_OK;
  });
}

int32_t open_url(mcpauth_host_context*, const char* url, mcpauth_error* err) {
  return serve(err, [&] {
    if (url == nullptr) throw PluginError(MCPAUTH_ERR_INVALID_ARGUMENT, "open_url: url is NULL");
    std::fprintf(stderr, "Open this URL in your browser to authorize:\n  %s\n", url);
    open_in_browser(url);
    return MCPAUTH_OK;
  });
}

int32_t sleep_ms(mcpauth_host_context* ctx, uint64_t milliseconds) {
  if (ctx == nullptr) return MCPAUTH_ERR_INVALID_ARGUMENT;
  std::unique_lock lock(ctx->mutex);
  bool cancelled =
      ctx->wake.wait_for(lock, std::chrono::milliseconds(milliseconds), [ctx] { return ctx->cancelled.load(); });
  return cancelled ? MCPAUTH_ERR_CANCELLED : MCPAUTH_OK;
}

// The storage services: forwarded to the server's storage instance, inside the server's part
// of it (keys prefixed with "<server>/", see server_store.h).
const StorageInstance& storage_of(mcpauth_host_context* ctx) {
  if (ctx == nullptr || ctx->storage == nullptr)
    throw PluginError(MCPAUTH_ERR_UNSUPPORTED, "no storage is bound to this instance");
  return *ctx->storage;
}

std::string full_key(const mcpauth_host_context* ctx, const char* key) {
  if (key == nullptr) throw PluginError(MCPAUTH_ERR_INVALID_ARGUMENT, "storage key is NULL");
  return ctx->storage_key_prefix + key;
}

int32_t storage_get(mcpauth_host_context* ctx, const char* key, mcpauth_bytes* value, mcpauth_error* err) {
  return serve(err, [&] {
    const StorageInstance& storage = storage_of(ctx);
    return storage.api().get(storage.handle(), full_key(ctx, key).c_str(), value, err);
  });
}

int32_t storage_put(mcpauth_host_context* ctx, const char* key, const uint8_t* data, uint64_t size,
                    mcpauth_error* err) {
  return serve(err, [&] {
    const StorageInstance& storage = storage_of(ctx);
    return storage.api().put(storage.handle(), full_key(ctx, key).c_str(), data, size, err);
  });
}

int32_t storage_delete(mcpauth_host_context* ctx, const char* key, mcpauth_error* err) {
  return serve(err, [&] {
    const StorageInstance& storage = storage_of(ctx);
    return storage.api().remove(storage.handle(), full_key(ctx, key).c_str(), err);
  });
}

// Hands the plugin's sink the keys without the server prefix.
struct StrippingSink {
  const mcpauth_key_sink* target;
  size_t prefix_size;

  static void add(void* context, const char* key) noexcept {
    auto* self = static_cast<StrippingSink*>(context);
    if (std::strlen(key) >= self->prefix_size) self->target->add(self->target->context, key + self->prefix_size);
  }
};

int32_t storage_list(mcpauth_host_context* ctx, const char* prefix, const mcpauth_key_sink* sink, mcpauth_error* err) {
  return serve(err, [&] {
    const StorageInstance& storage = storage_of(ctx);
    if (sink == nullptr) throw PluginError(MCPAUTH_ERR_INVALID_ARGUMENT, "storage_list: sink is NULL");
    StrippingSink stripping{sink, ctx->storage_key_prefix.size()};
    mcpauth_key_sink wrapped{&stripping, StrippingSink::add};
    return storage.api().list(storage.handle(), full_key(ctx, prefix).c_str(), &wrapped, err);
  });
}

int32_t storage_lock(mcpauth_host_context* ctx, const char* key, uint32_t timeout_ms, mcpauth_lock** lock,
                     mcpauth_error* err) {
  return serve(err, [&] {
    const StorageInstance& storage = storage_of(ctx);
    if (!storage.supports_locks())
      throw PluginError(MCPAUTH_ERR_UNSUPPORTED, "storage plugin " + storage.library().id() + " offers no locks");
    return storage.lock_raw(full_key(ctx, key).c_str(), timeout_ms, lock, err);
  });
}

void storage_unlock(mcpauth_host_context* ctx, mcpauth_lock* lock) {
  if (ctx != nullptr && ctx->storage != nullptr && lock != nullptr) ctx->storage->unlock_raw(lock);
}

void count_event(mcpauth_host_context* ctx, const char* event) {
  if (ctx == nullptr || event == nullptr) return;
  try {
    plugin_events().add(ctx->server_name, event);
  } catch (...) {  // counting must never fail the caller
  }
}

const mcpauth_host_api kHostApi{
    MCPAUTH_STRUCT_HOST_API,
    sizeof(mcpauth_host_api),
    MCPAUTH_ABI_MAJOR,
    MCPAUTH_ABI_MINOR,
    host_alloc,
    host_free,
    host_log,
    now_unix_ms,
    monotonic_ms,
    random_bytes,
    http_request,
    http_response_free,
    open_url,
    sleep_ms,
    storage_get,
    storage_put,
    storage_delete,
    storage_list,
    storage_lock,
    storage_unlock,
    count_event,
};

}  // namespace

const mcpauth_host_api* host_api() { return &kHostApi; }

}  // namespace mcpauth::core
