/*
 * mcpauth plugin ABI: the stable C boundary between the mcpauth host and its plugins.
 *
 * Rules (read these before changing anything here):
 *  - C99, fixed-width types only. No bool, no enum-typed fields, no long.
 *  - One exported symbol per plugin library: MCPAUTH_ENTRY_SYMBOL. The ABI major version is in
 *    its name, so a library built for another major is simply "missing the entry symbol".
 *  - Every struct starts with {struct_type, struct_size}. Structs only grow at the end; a new
 *    member bumps MCPAUTH_ABI_MINOR and is marked "since 1.N". Readers check struct_size before
 *    touching a member (MCPAUTH_HAS_MEMBER).
 *  - A plugin built against a newer minor than the host is refused; older minors keep working.
 *  - No exception, C++ type or free() crosses the boundary. Functions return an mcpauth status
 *    code and write a message into a caller-provided mcpauth_error.
 *  - Ownership is written next to every pointer:
 *      "borrowed"    the receiver may read it only during the call;
 *      "host-owned"  / "plugin-owned": stays valid as long as stated, the owner frees it;
 *      "transferred" allocated with host->alloc; the receiver frees it with host->free.
 *  - Plugin instances must be safe to call from several threads at once.
 *
 * tests/abi/abi_layout_test checks a hash of this header: change it and you must bump
 * MCPAUTH_ABI_MINOR (appending) or MCPAUTH_ABI_MAJOR (anything else), then update the hash.
 */
#ifndef MCPAUTH_PLUGIN_ABI_H
#define MCPAUTH_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MCPAUTH_ABI_MAJOR 1
#define MCPAUTH_ABI_MINOR 1

/* The one symbol a plugin library exports; "_v1" is MCPAUTH_ABI_MAJOR. */
#define MCPAUTH_ENTRY_SYMBOL "mcpauth_plugin_entry_v1"
#define MCPAUTH_ENTRY_FUNCTION mcpauth_plugin_entry_v1

/* True when a struct of the given (runtime) size contains MEMBER entirely. */
#define MCPAUTH_HAS_MEMBER(ptr, type, member) \
  ((ptr) != NULL && (size_t)(ptr)->struct_size >= offsetof(type, member) + sizeof(((type*)0)->member))

/* ---- status codes (int32_t) ---- */
#define MCPAUTH_OK 0
#define MCPAUTH_ERR_INVALID_ARGUMENT 1 /* bad input from the caller */
#define MCPAUTH_ERR_NOT_FOUND 2        /* no such key / token / entry */
#define MCPAUTH_ERR_UNSUPPORTED 3      /* optional feature not provided */
#define MCPAUTH_ERR_INTERNAL 4         /* a bug or an unexpected exception */
#define MCPAUTH_ERR_IO 5               /* file system or database failure */
#define MCPAUTH_ERR_NETWORK 6          /* connection failed, bad response */
#define MCPAUTH_ERR_TIMEOUT 7          /* deadline passed (also: lock not acquired in time) */
#define MCPAUTH_ERR_CANCELLED 8        /* the host is shutting the instance down */
#define MCPAUTH_ERR_AUTH_REQUIRED 9    /* the user must (re-)authorize interactively */
#define MCPAUTH_ERR_DENIED 10          /* the authorization server or user refused */
#define MCPAUTH_ERR_CONFIG 11          /* the instance configuration cannot work */
#define MCPAUTH_ERR_CRYPTO 12          /* decryption/verification failed */
#define MCPAUTH_ERR_NO_MEMORY 13

/* ---- log levels (int32_t) ---- */
#define MCPAUTH_LOG_DEBUG 0
#define MCPAUTH_LOG_INFO 1
#define MCPAUTH_LOG_WARN 2
#define MCPAUTH_LOG_ERROR 3

/* ---- plugin kinds (bit mask, uint32_t) ---- */
#define MCPAUTH_KIND_AUTH 1u
#define MCPAUTH_KIND_STORAGE 2u

/* ---- struct type tags (uint32_t) ---- */
#define MCPAUTH_STRUCT_NEGOTIATION 1u
#define MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR 2u
#define MCPAUTH_STRUCT_HOST_API 3u
#define MCPAUTH_STRUCT_AUTH_API 4u
#define MCPAUTH_STRUCT_STORAGE_API 5u
#define MCPAUTH_STRUCT_INSTANCE_ARGS 6u
#define MCPAUTH_STRUCT_HTTP_REQUEST 7u
#define MCPAUTH_STRUCT_HTTP_RESPONSE 8u
#define MCPAUTH_STRUCT_BEGIN_AUTH_ARGS 9u
#define MCPAUTH_STRUCT_AUTHORIZATION 10u

/* Error message buffer, provided by the caller of every fallible function. The callee writes a
 * NUL-terminated, human-readable, secret-free message (truncated to fit). */
#define MCPAUTH_ERROR_MESSAGE_MAX 1024
typedef struct mcpauth_error {
  char message[MCPAUTH_ERROR_MESSAGE_MAX];
} mcpauth_error;

/* A byte buffer handed over to the receiver ("transferred": free data with host->free). */
typedef struct mcpauth_bytes {
  uint8_t* data; /* transferred; may be NULL when size is 0 */
  uint64_t size;
} mcpauth_bytes;

typedef struct mcpauth_header {
  const char* name;  /* borrowed */
  const char* value; /* borrowed */
} mcpauth_header;

/* Receives header lines (e.g. the credentials for a request). The receiver copies them. */
typedef struct mcpauth_header_sink {
  void* context; /* borrowed, owned by whoever created the sink */
  void (*add)(void* context, const char* name, const char* value);
} mcpauth_header_sink;

/* Receives keys from storage listings. The receiver copies them. */
typedef struct mcpauth_key_sink {
  void* context;
  void (*add)(void* context, const char* key);
} mcpauth_key_sink;

/* Opaque handles. */
typedef struct mcpauth_host_context mcpauth_host_context; /* host-owned, one per instance */
typedef struct mcpauth_instance mcpauth_instance;         /* plugin-owned */
typedef struct mcpauth_lock mcpauth_lock;                 /* owned by whoever granted it */

/* ---- HTTP client offered by the host ---- */
typedef struct mcpauth_http_request {
  uint32_t struct_type; /* MCPAUTH_STRUCT_HTTP_REQUEST */
  uint32_t struct_size;
  const char* method;            /* borrowed, e.g. "POST" */
  const char* url;               /* borrowed, http or https */
  const mcpauth_header* headers; /* borrowed array of header_count entries */
  uint64_t header_count;
  const uint8_t* body; /* borrowed; may be NULL when body_size is 0 */
  uint64_t body_size;
  uint32_t timeout_ms;         /* whole request; 0 = host default (20 s) */
  uint32_t max_redirects;      /* 0 = redirects are returned, not followed */
  uint64_t max_response_bytes; /* 0 = host default (1 MiB); larger bodies fail with MCPAUTH_ERR_NETWORK */
} mcpauth_http_request;

typedef struct mcpauth_http_response {
  uint32_t struct_type; /* MCPAUTH_STRUCT_HTTP_RESPONSE */
  uint32_t struct_size;
  int32_t status; /* HTTP status code */
  uint32_t reserved;
  mcpauth_header* headers; /* host-owned until http_response_free */
  uint64_t header_count;
  uint8_t* body; /* host-owned until http_response_free */
  uint64_t body_size;
  char* final_url; /* host-owned until http_response_free; after redirects */
} mcpauth_http_response;

/* ---- the table of host services ---- */
/* Every function pointer is non-NULL (those since 1.1 too: a host never loads a plugin of a newer
 * minor). `ctx` is the instance's host context from mcpauth_instance_args; functions that take
 * none work before any instance exists. */
typedef struct mcpauth_host_api {
  uint32_t struct_type; /* MCPAUTH_STRUCT_HOST_API */
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;

  /* Memory for everything "transferred" across the boundary. alloc returns NULL on failure. */
  void* (*alloc)(uint64_t size);
  void (*free)(void* pointer);

  /* Logging. The host adds the plugin id and server name, and redacts anything that looks like
   * a credential; plugins must still never log secrets. ctx may be NULL. */
  void (*log)(mcpauth_host_context* ctx, int32_t level, const char* message /* borrowed */);

  /* Clocks: wall clock in ms since the Unix epoch; a monotonic clock in ms. */
  int64_t (*now_unix_ms)(void);
  int64_t (*monotonic_ms)(void);

  /* Cryptographically secure random bytes. */
  int32_t (*random_bytes)(uint8_t* out /* borrowed, size bytes */, uint64_t size, mcpauth_error* err);

  /* HTTP(S) request. On MCPAUTH_OK, *response is filled; release it with http_response_free.
   * Any HTTP status is MCPAUTH_OK; transport failures, timeouts and oversize bodies are not. */
  int32_t (*http_request)(mcpauth_host_context* ctx, const mcpauth_http_request* request,
                          mcpauth_http_response* response, mcpauth_error* err);
  void (*http_response_free)(mcpauth_http_response* response);

  /* Ask the user's browser to open url (runs $BROWSER or xdg-open with the URL as one argument,
   * never through a shell). The host also prints the URL for the user. */
  int32_t (*open_url)(mcpauth_host_context* ctx, const char* url, mcpauth_error* err);

  /* Sleep that the host can cut short: returns MCPAUTH_ERR_CANCELLED when the instance is being
   * shut down, MCPAUTH_OK otherwise. */
  int32_t (*sleep_ms)(mcpauth_host_context* ctx, uint64_t milliseconds);

  /* The storage instance configured for the same server (auth plugins persist through it).
   * For storage plugins these return MCPAUTH_ERR_UNSUPPORTED. Semantics as in mcpauth_storage_api. */
  int32_t (*storage_get)(mcpauth_host_context* ctx, const char* key, mcpauth_bytes* value, mcpauth_error* err);
  int32_t (*storage_put)(mcpauth_host_context* ctx, const char* key, const uint8_t* data, uint64_t size,
                         mcpauth_error* err);
  int32_t (*storage_delete)(mcpauth_host_context* ctx, const char* key, mcpauth_error* err);
  int32_t (*storage_list)(mcpauth_host_context* ctx, const char* prefix, const mcpauth_key_sink* sink,
                          mcpauth_error* err);
  int32_t (*storage_lock)(mcpauth_host_context* ctx, const char* key, uint32_t timeout_ms, mcpauth_lock** lock,
                          mcpauth_error* err);
  void (*storage_unlock)(mcpauth_host_context* ctx, mcpauth_lock* lock);

  /* Since 1.1. Counts one event of the instance's server; the host keeps a counter per server and
   * event name and shows them (mcpauth serve: GET /metrics). Names are 1-64 characters of a-z,
   * 0-9 and '_'; others are ignored. Auth plugins count "token_refreshed" after each refresh
   * that stored new tokens and "token_refresh_failed" after each refresh that did not. */
  void (*count_event)(mcpauth_host_context* ctx, const char* event /* borrowed */);
} mcpauth_host_api;

/* ---- instance creation ---- */
typedef struct mcpauth_instance_args {
  uint32_t struct_type; /* MCPAUTH_STRUCT_INSTANCE_ARGS */
  uint32_t struct_size;
  const char* server_name;   /* borrowed; valid until destroy */
  const char* server_url;    /* borrowed; valid until destroy; "" when the server has none */
  const char* config_json;   /* borrowed; already validated against the plugin's config schema */
  mcpauth_host_context* ctx; /* host-owned; valid until destroy returns */
  uint32_t kind;             /* MCPAUTH_KIND_AUTH or MCPAUTH_KIND_STORAGE: the role of this instance */
  uint32_t reserved;
} mcpauth_instance_args;

/* ---- auth plugins ---- */
#define MCPAUTH_FLOW_LOOPBACK 0 /* CLI/desktop: callback server on 127.0.0.1 run by the host */
#define MCPAUTH_FLOW_WEB 1      /* multi-user: the host's HTTP API receives the callback */

typedef struct mcpauth_begin_auth_args {
  uint32_t struct_type; /* MCPAUTH_STRUCT_BEGIN_AUTH_ARGS */
  uint32_t struct_size;
  const char* user;         /* borrowed; "" for the local/default user */
  const char* redirect_uri; /* borrowed; where the authorization server must send the browser */
  int32_t flow;             /* MCPAUTH_FLOW_* */
  uint32_t reserved;
  const char* extra_scopes; /* borrowed; space-separated scopes to add (step-up), or "" */
} mcpauth_begin_auth_args;

typedef struct mcpauth_authorization {
  uint32_t struct_type; /* MCPAUTH_STRUCT_AUTHORIZATION; the host sets type and size, plugin fills */
  uint32_t struct_size;
  mcpauth_bytes url;     /* transferred: the URL the user's browser must visit */
  mcpauth_bytes state;   /* transferred: the `state` value the callback will carry */
  mcpauth_bytes pending; /* transferred: opaque, secret; the host keeps it and hands it to complete */
} mcpauth_authorization;

#define MCPAUTH_CHALLENGE_FAIL 0      /* nothing to do: report the error */
#define MCPAUTH_CHALLENGE_RETRY 1     /* credentials changed (e.g. refreshed): retry the request */
#define MCPAUTH_CHALLENGE_AUTHORIZE 2 /* interactive authorization needed (begin_authorization) */

typedef struct mcpauth_auth_api {
  uint32_t struct_type; /* MCPAUTH_STRUCT_AUTH_API */
  uint32_t struct_size;

  /* Required. Headers to add to a request to the server for `user` ("" = default user).
   * MCPAUTH_ERR_AUTH_REQUIRED when the user must authorize first. */
  int32_t (*get_credentials)(mcpauth_instance* instance, const char* user, const mcpauth_header_sink* sink,
                             mcpauth_error* err);

  /* Required. The server answered 401/403 with this WWW-Authenticate value ("" if none).
   * Sets *action to MCPAUTH_CHALLENGE_*. */
  int32_t (*on_challenge)(mcpauth_instance* instance, const char* user, int32_t http_status,
                          const char* www_authenticate, int32_t* action, mcpauth_error* err);

  /* Required. Start an interactive authorization; MCPAUTH_ERR_UNSUPPORTED if the plugin has none. */
  int32_t (*begin_authorization)(mcpauth_instance* instance, const mcpauth_begin_auth_args* args,
                                 mcpauth_authorization* out, mcpauth_error* err);

  /* Required. Finish it: `pending` is what begin returned, `callback_query` the raw query string of
   * the redirect (code, state, iss or error...). The plugin checks state and stores the tokens. */
  int32_t (*complete_authorization)(mcpauth_instance* instance, const char* user, const uint8_t* pending,
                                    uint64_t pending_size, const char* callback_query, mcpauth_error* err);

  /* Required. Refresh now (MCPAUTH_ERR_UNSUPPORTED if the plugin has nothing to refresh). */
  int32_t (*refresh)(mcpauth_instance* instance, const char* user, mcpauth_error* err);

  /* Required. Forget the user's credentials (revoking them where possible). */
  int32_t (*logout)(mcpauth_instance* instance, const char* user, mcpauth_error* err);

  /* Required. A JSON object describing the user's state, without secrets (transferred). */
  int32_t (*status)(mcpauth_instance* instance, const char* user, mcpauth_bytes* json, mcpauth_error* err);

  /* Since 1.1. Optional (NULL if not offered). Store a token supplied from outside (an admin's
   * upload, or a user's own token) for `user`; "" is the server-level token, used for every user
   * without one of their own. `token` is borrowed and secret; `metadata_json` is a borrowed JSON
   * object (e.g. {"expires_at": <Unix s>, "scopes": [...]}) or "{}". The plugin validates the token
   * and refuses it with MCPAUTH_ERR_INVALID_ARGUMENT and a message that does not contain it. It
   * takes effect at once; logout deletes it. */
  int32_t (*store_token)(mcpauth_instance* instance, const char* user, const char* token, const char* metadata_json,
                         mcpauth_error* err);
} mcpauth_auth_api;

/* ---- storage plugins ---- */
/* Keys are NUL-terminated UTF-8 strings; values are opaque bytes. */
typedef struct mcpauth_storage_api {
  uint32_t struct_type; /* MCPAUTH_STRUCT_STORAGE_API */
  uint32_t struct_size;

  /* Required. MCPAUTH_ERR_NOT_FOUND when absent; on OK *value is transferred. */
  int32_t (*get)(mcpauth_instance* instance, const char* key, mcpauth_bytes* value, mcpauth_error* err);
  /* Required. Create or overwrite atomically: a reader sees the old or the new value. */
  int32_t (*put)(mcpauth_instance* instance, const char* key, const uint8_t* data, uint64_t size, mcpauth_error* err);
  /* Required. MCPAUTH_ERR_NOT_FOUND when absent. */
  int32_t (*remove)(mcpauth_instance* instance, const char* key, mcpauth_error* err);
  /* Required. Every key starting with prefix ("" = all), in no particular order. */
  int32_t (*list)(mcpauth_instance* instance, const char* prefix, const mcpauth_key_sink* sink, mcpauth_error* err);

  /* Optional (both NULL or both set). An exclusive lock on a key name, across threads and, where
   * the backend allows, processes and machines. MCPAUTH_ERR_TIMEOUT when not acquired in time.
   * *lock is plugin-owned until unlock; every lock is unlocked before the instance is destroyed. */
  int32_t (*lock)(mcpauth_instance* instance, const char* key, uint32_t timeout_ms, mcpauth_lock** lock,
                  mcpauth_error* err);
  void (*unlock)(mcpauth_instance* instance, mcpauth_lock* lock);

  /* Optional (NULL if not offered). Metadata of one entry as a JSON object, without the value:
   * at least {"size": <bytes of the value>}, and where known "updated_at" (Unix seconds) and
   * "stored_size" (bytes on disk). MCPAUTH_ERR_NOT_FOUND when absent; on OK *json is transferred. */
  int32_t (*metadata)(mcpauth_instance* instance, const char* key, mcpauth_bytes* json, mcpauth_error* err);
} mcpauth_storage_api;

/* ---- what a plugin library describes about itself ---- */
typedef struct mcpauth_plugin_descriptor {
  uint32_t struct_type; /* MCPAUTH_STRUCT_PLUGIN_DESCRIPTOR */
  uint32_t struct_size;
  uint32_t abi_major;      /* MCPAUTH_ABI_MAJOR the plugin was built against */
  uint32_t abi_minor;      /* MCPAUTH_ABI_MINOR the plugin was built against */
  const char* id;          /* plugin-owned, static: [a-z0-9_]+, unique among loaded plugins */
  const char* version;     /* plugin-owned, static: the plugin's own version, e.g. "1.2.0" */
  const char* description; /* plugin-owned, static: one line */
  uint32_t kinds;          /* MCPAUTH_KIND_* bits; at least one */
  uint32_t reserved;
  const char* config_schema; /* plugin-owned, static: JSON Schema of the per-server config */

  /* Required. One library serves many servers: one instance each. */
  int32_t (*create)(const mcpauth_instance_args* args, mcpauth_instance** instance, mcpauth_error* err);
  void (*destroy)(mcpauth_instance* instance);

  const mcpauth_auth_api* auth;       /* plugin-owned, static; required iff kinds has AUTH */
  const mcpauth_storage_api* storage; /* plugin-owned, static; required iff kinds has STORAGE */
} mcpauth_plugin_descriptor;

/* ---- negotiation: the argument of the entry function ---- */
typedef struct mcpauth_negotiation {
  uint32_t struct_type; /* MCPAUTH_STRUCT_NEGOTIATION */
  uint32_t struct_size;
  uint32_t host_abi_major;                     /* in */
  uint32_t host_abi_minor;                     /* in: the plugin may refuse a host older than it needs */
  const mcpauth_host_api* host;                /* in: host-owned, valid while the library is loaded */
  const mcpauth_plugin_descriptor* descriptor; /* out: plugin-owned, static */
} mcpauth_negotiation;

/* The exported entry point. Returns MCPAUTH_OK and sets negotiation->descriptor, or an error code
 * with a message in err. Called once per load. */
typedef int32_t (*mcpauth_entry_fn)(mcpauth_negotiation* negotiation, mcpauth_error* err);

#ifdef __cplusplus
}
#endif

#endif /* MCPAUTH_PLUGIN_ABI_H */
