/* An auth plugin as built against ABI 1.0: it declares abi_minor 0 and an auth table whose
 * struct_size ends before store_token (added in 1.1). The host must load it, call it, and treat
 * store_token as not offered. It sends "X-Abi-Version: 1.0" for every user. */
#include <mcpauth/plugin_abi.h>

#include <stdio.h>
#include <string.h>

static const mcpauth_host_api* host;

/* The instance carries no state; a static object gives create something to return. */
struct mcpauth_instance {
  int unused;
};
static mcpauth_instance the_instance;

static int32_t fail(mcpauth_error* err, int32_t status, const char* message) {
  snprintf(err->message, sizeof err->message, "%s", message);
  return status;
}

static int32_t create(const mcpauth_instance_args* args, mcpauth_instance** out, mcpauth_error* err) {
  if (args->kind != MCPAUTH_KIND_AUTH) return fail(err, MCPAUTH_ERR_INVALID_ARGUMENT, "c_plugin_v1_0 is auth only");
  *out = &the_instance;
  return MCPAUTH_OK;
}

static void destroy(mcpauth_instance* instance) { (void)instance; }

static int32_t get_credentials(mcpauth_instance* instance, const char* user, const mcpauth_header_sink* sink,
                               mcpauth_error* err) {
  (void)instance, (void)user, (void)err;
  sink->add(sink->context, "X-Abi-Version", "1.0");
  return MCPAUTH_OK;
}

static int32_t on_challenge(mcpauth_instance* instance, const char* user, int32_t http_status,
                            const char* www_authenticate, int32_t* action, mcpauth_error* err) {
  (void)instance, (void)user, (void)http_status, (void)www_authenticate, (void)err;
  *action = MCPAUTH_CHALLENGE_FAIL;
  return MCPAUTH_OK;
}

static int32_t begin_authorization(mcpauth_instance* instance, const mcpauth_begin_auth_args* args,
                                   mcpauth_authorization* out, mcpauth_error* err) {
  (void)instance, (void)args, (void)out;
  return fail(err, MCPAUTH_ERR_UNSUPPORTED, "c_plugin_v1_0 has no interactive authorization");
}

static int32_t complete_authorization(mcpauth_instance* instance, const char* user, const uint8_t* pending,
                                      uint64_t pending_size, const char* query, mcpauth_error* err) {
  (void)instance, (void)user, (void)pending, (void)pending_size, (void)query;
  return fail(err, MCPAUTH_ERR_UNSUPPORTED, "c_plugin_v1_0 has no interactive authorization");
}

static int32_t refresh(mcpauth_instance* instance, const char* user, mcpauth_error* err) {
  (void)instance, (void)user;
  return fail(err, MCPAUTH_ERR_UNSUPPORTED, "c_plugin_v1_0 has nothing to refresh");
}

static int32_t logout(mcpauth_instance* instance, const char* user, mcpauth_error* err) {
  (void)instance, (void)user, (void)err;
  return MCPAUTH_OK;
}

static int32_t status(mcpauth_instance* instance, const char* user, mcpauth_bytes* json, mcpauth_error* err) {
  static const char text[] = "{\"plugin\":\"c_plugin_v1_0\"}";
  (void)instance, (void)user;
  json->data = host->alloc(sizeof text - 1);
  if (json->data == NULL) return fail(err, MCPAUTH_ERR_NO_MEMORY, "out of memory");
  memcpy(json->data, text, sizeof text - 1);
  json->size = sizeof text - 1;
  return MCPAUTH_OK;
}

/* Lies beyond the declared struct_size: a host that read past it would call this and succeed. */
static int32_t store_token_beyond_size(mcpauth_instance* instance, const char* user, const char* token,
                                       const char* metadata_json, mcpauth_error* err) {
  (void)instance, (void)user, (void)token, (void)metadata_json, (void)err;
  return MCPAUTH_OK;
}

static const mcpauth_auth_api auth_api = {MCPAUTH_STRUCT_AUTH_API,
                                          offsetof(mcpauth_auth_api, store_token), /* the 1.0 size */
                                          get_credentials,
                                          on_challenge,
                                          begin_authorization,
                                          complete_authorization,
                                          refresh,
                                          logout,
                                          status,
                                          store_token_beyond_size};

static const mcpauth_plugin_descriptor descriptor = {MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR,
                                                     sizeof(mcpauth_plugin_descriptor),
                                                     MCPAUTH_ABI_MAJOR,
                                                     0, /* abi_minor */
                                                     "c_plugin_v1_0",
                                                     "1.0.0",
                                                     "A test plugin built against ABI 1.0",
                                                     MCPAUTH_KIND_AUTH,
                                                     0,
                                                     "{\"type\":\"object\",\"additionalProperties\":false}",
                                                     create,
                                                     destroy,
                                                     &auth_api,
                                                     NULL};

__attribute__((visibility("default"))) int32_t MCPAUTH_ENTRY_FUNCTION(mcpauth_negotiation* negotiation,
                                                                      mcpauth_error* err) {
  if (negotiation->host_abi_major != MCPAUTH_ABI_MAJOR)
    return fail(err, MCPAUTH_ERR_UNSUPPORTED, "c_plugin_v1_0 needs ABI major 1");
  host = negotiation->host;
  negotiation->descriptor = &descriptor;
  return MCPAUTH_OK;
}
