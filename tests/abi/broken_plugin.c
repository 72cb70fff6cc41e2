/* One source, many deliberately broken plugins: BROKEN selects what is wrong (see CMakeLists.txt).
 * Each must be refused by the host with a clear reason, and the host must carry on. */
#include <mcpauth/plugin_abi.h>

#include <stdio.h>

#define NO_ENTRY 1
#define WRONG_MAJOR 2
#define NEWER_MINOR 3
#define BAD_SIZE 4
#define NULL_FUNCTION 5
#define BAD_SCHEMA 6
#define ENTRY_FAILS 7
#define BAD_ID 8
#define NO_DESCRIPTOR 9

static int32_t create(const mcpauth_instance_args* args, mcpauth_instance** out, mcpauth_error* err) {
  (void)args, (void)out, (void)err;
  return MCPAUTH_ERR_INTERNAL;
}
static void destroy(mcpauth_instance* instance) { (void)instance; }
static int32_t get(mcpauth_instance* i, const char* k, mcpauth_bytes* v, mcpauth_error* e) {
  (void)i, (void)k, (void)v, (void)e;
  return MCPAUTH_ERR_NOT_FOUND;
}
static int32_t put(mcpauth_instance* i, const char* k, const uint8_t* d, uint64_t s, mcpauth_error* e) {
  (void)i, (void)k, (void)d, (void)s, (void)e;
  return MCPAUTH_OK;
}
static int32_t remove_key(mcpauth_instance* i, const char* k, mcpauth_error* e) {
  (void)i, (void)k, (void)e;
  return MCPAUTH_ERR_NOT_FOUND;
}

__attribute__((unused)) static int32_t list(mcpauth_instance* i, const char* p, const mcpauth_key_sink* s,
                                            mcpauth_error* e) {
  (void)i, (void)p, (void)s, (void)e;
  return MCPAUTH_OK;
}

static const mcpauth_storage_api storage_api = {MCPAUTH_STRUCT_STORAGE_API,
                                                sizeof(mcpauth_storage_api),
                                                get,
                                                put,
                                                remove_key,
#if BROKEN == NULL_FUNCTION
                                                NULL, /* list is required */
#else
                                                list,
#endif
                                                NULL, /* lock */
                                                NULL, /* unlock */
                                                NULL /* metadata */};

__attribute__((unused)) static const mcpauth_plugin_descriptor descriptor = {MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR,
#if BROKEN == BAD_SIZE
                                                                             8,
#else
                                                                              sizeof(mcpauth_plugin_descriptor),
#endif
#if BROKEN == WRONG_MAJOR
                                                                             MCPAUTH_ABI_MAJOR + 1,
#else
                                                                              MCPAUTH_ABI_MAJOR,
#endif
#if BROKEN == NEWER_MINOR
                                                                             MCPAUTH_ABI_MINOR + 1,
#elif BROKEN == WRONG_MAJOR
                                                                             0, /* a plugin for ABI 2.0 */
#else
                                                                              MCPAUTH_ABI_MINOR,
#endif
#if BROKEN == BAD_ID
                                                                             "Bad-Id!",
#else
                                                                              "broken",
#endif
                                                                             "0.0.1",
                                                                             "A deliberately broken plugin",
                                                                             MCPAUTH_KIND_STORAGE,
                                                                             0,
#if BROKEN == BAD_SCHEMA
                                                                             "{\"type\": \"strnig\"}",
#else
                                                                              "{\"type\":\"object\"}",
#endif
                                                                             create,
                                                                             destroy,
                                                                             NULL,
                                                                             &storage_api};

#if BROKEN == NO_ENTRY
__attribute__((visibility("default"))) int32_t mcpauth_plugin_entry_v0(mcpauth_negotiation* n, mcpauth_error* err) {
  (void)n, (void)err;
  return MCPAUTH_OK;
}
#else
__attribute__((visibility("default"))) int32_t MCPAUTH_ENTRY_FUNCTION(mcpauth_negotiation* negotiation,
                                                                      mcpauth_error* err) {
#if BROKEN == ENTRY_FAILS
  (void)negotiation;
  snprintf(err->message, sizeof err->message, "this plugin refuses to load");
  return MCPAUTH_ERR_CONFIG;
#elif BROKEN == NO_DESCRIPTOR
  (void)negotiation, (void)err;
  return MCPAUTH_OK;
#else
  (void)err;
  negotiation->descriptor = &descriptor;
  return MCPAUTH_OK;
#endif
}
#endif
