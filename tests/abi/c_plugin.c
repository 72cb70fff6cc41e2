/* A plugin written in plain C99 against plugin_abi.h alone: the proof that the boundary needs no
 * C++. Auth kind: it sends "Authorization: Bearer <token>" where <token> is the value stored under
 * the key "token" in the server's storage (through the host's storage service).
 *
 * Built a second time with C_PLUGIN_AS_ABI_1_0 as "c_plugin_v1_0": the same plugin as built against
 * ABI 1.0, declaring abi_minor 0 and an auth table whose struct_size ends before store_token (added
 * in 1.1). The host must load it, call it, and treat store_token as not offered. */
#include <mcpauth/plugin_abi.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef C_PLUGIN_AS_ABI_1_0
#define PLUGIN_ID "c_plugin_v1_0"
#define PLUGIN_ABI_MINOR 0
#define AUTH_API_SIZE offsetof(mcpauth_auth_api, store_token) /* what the 1.0 header made sizeof */
#define STORE_TOKEN store_token_beyond_size
#else
#define PLUGIN_ID "c_plugin"
#define PLUGIN_ABI_MINOR MCPAUTH_ABI_MINOR
#define AUTH_API_SIZE sizeof(mcpauth_auth_api)
#define STORE_TOKEN NULL /* not offered */
#endif

static const mcpauth_host_api* host;

struct mcpauth_instance {
  mcpauth_host_context* ctx;
};

static void set_error(mcpauth_error* err, const char* message) {
  snprintf(err->message, sizeof err->message, "%s", message);
}

static int32_t create(const mcpauth_instance_args* args, mcpauth_instance** out, mcpauth_error* err) {
  mcpauth_instance* instance;
  if (args->kind != MCPAUTH_KIND_AUTH) {
    set_error(err, PLUGIN_ID " only provides auth");
    return MCPAUTH_ERR_INVALID_ARGUMENT;
  }
  instance = host->alloc(sizeof *instance);
  if (instance == NULL) return MCPAUTH_ERR_NO_MEMORY;
  instance->ctx = args->ctx;
  *out = instance;
  return MCPAUTH_OK;
}

static void destroy(mcpauth_instance* instance) { host->free(instance); }

static int32_t get_credentials(mcpauth_instance* instance, const char* user, const mcpauth_header_sink* sink,
                               mcpauth_error* err) {
  mcpauth_bytes token = {NULL, 0};
  char value[512];
  int32_t status;
  (void)user;
  status = host->storage_get(instance->ctx, "token", &token, err);
  if (status == MCPAUTH_ERR_NOT_FOUND) {
    set_error(err, "no token stored: authorize first");
    return MCPAUTH_ERR_AUTH_REQUIRED;
  }
  if (status != MCPAUTH_OK) return status;
  snprintf(value, sizeof value, "Bearer %.*s", (int)token.size, (const char*)token.data);
  host->free(token.data);
  sink->add(sink->context, "Authorization", value);
  return MCPAUTH_OK;
}

static int32_t on_challenge(mcpauth_instance* instance, const char* user, int32_t http_status,
                            const char* www_authenticate, int32_t* action, mcpauth_error* err) {
  (void)instance, (void)user, (void)http_status, (void)www_authenticate, (void)err;
  *action = MCPAUTH_CHALLENGE_AUTHORIZE;
  return MCPAUTH_OK;
}

static int32_t unsupported(mcpauth_error* err) {
  set_error(err, PLUGIN_ID " has no interactive authorization");
  return MCPAUTH_ERR_UNSUPPORTED;
}

static int32_t begin_authorization(mcpauth_instance* instance, const mcpauth_begin_auth_args* args,
                                   mcpauth_authorization* out, mcpauth_error* err) {
  (void)instance, (void)args, (void)out;
  return unsupported(err);
}

static int32_t complete_authorization(mcpauth_instance* instance, const char* user, const uint8_t* pending,
                                      uint64_t pending_size, const char* query, mcpauth_error* err) {
  (void)instance, (void)user, (void)pending, (void)pending_size, (void)query;
  return unsupported(err);
}

static int32_t refresh(mcpauth_instance* instance, const char* user, mcpauth_error* err) {
  (void)instance, (void)user;
  return unsupported(err);
}

static int32_t logout(mcpauth_instance* instance, const char* user, mcpauth_error* err) {
  (void)user;
  return host->storage_delete(instance->ctx, "token", err);
}

static int32_t status(mcpauth_instance* instance, const char* user, mcpauth_bytes* json, mcpauth_error* err) {
  static const char text[] = "{\"plugin\":\"" PLUGIN_ID "\"}";
  (void)instance, (void)user, (void)err;
  json->data = host->alloc(sizeof text - 1);
  if (json->data == NULL) return MCPAUTH_ERR_NO_MEMORY;
  memcpy(json->data, text, sizeof text - 1);
  json->size = sizeof text - 1;
  return MCPAUTH_OK;
}

#ifdef C_PLUGIN_AS_ABI_1_0
/* Lies beyond the declared struct_size: only a host that read past it could call this. */
static int32_t store_token_beyond_size(mcpauth_instance* instance, const char* user, const char* token,
                                       const char* metadata_json, mcpauth_error* err) {
  (void)instance, (void)user, (void)token, (void)metadata_json, (void)err;
  abort();
}
#endif

static const mcpauth_auth_api auth_api = {MCPAUTH_STRUCT_AUTH_API,
                                          AUTH_API_SIZE,
                                          get_credentials,
                                          on_challenge,
                                          begin_authorization,
                                          complete_authorization,
                                          refresh,
                                          logout,
                                          status,
                                          STORE_TOKEN /* as ABI 1.0: past the declared size */};

static const mcpauth_plugin_descriptor descriptor = {MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR,
                                                     sizeof(mcpauth_plugin_descriptor),
                                                     MCPAUTH_ABI_MAJOR,
                                                     PLUGIN_ABI_MINOR,
                                                     PLUGIN_ID,
                                                     "0.1.0",
                                                     "A test plugin written in C",
                                                     MCPAUTH_KIND_AUTH,
                                                     0,
                                                     "{\"type\":\"object\",\"additionalProperties\":false}",
                                                     create,
                                                     destroy,
                                                     &auth_api,
                                                     NULL};

__attribute__((visibility("default"))) int32_t MCPAUTH_ENTRY_FUNCTION(mcpauth_negotiation* negotiation,
                                                                      mcpauth_error* err) {
  if (negotiation->host_abi_major != MCPAUTH_ABI_MAJOR) {
    set_error(err, PLUGIN_ID " needs ABI major 1");
    return MCPAUTH_ERR_UNSUPPORTED;
  }
  host = negotiation->host;
  negotiation->descriptor = &descriptor;
  return MCPAUTH_OK;
}
