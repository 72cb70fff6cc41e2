// Requests to an MCP server whose answers are read as they arrive (an SSE answer may stay open for
// minutes), with the credentials of the server's auth plugin: what the MCP client, the gateway of
// `mcpauth serve` and `mcpauth proxy` share.
#pragma once

#include "mcpauth/core/instances.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mcpauth::mcp {

using core::HeaderList;

class OpenAnswers;

struct UpstreamRequest {
  std::string method = "POST";  // POST, GET or DELETE
  std::string url;
  HeaderList headers;  // without credentials: those are added to each attempt
  std::string body;
  uint32_t connect_timeout_ms = 10'000;
  uint32_t read_timeout_ms = 300'000;  // the longest wait for the next bytes of the answer
  // When set, the wait for the answer's head can be ended by open_answers->close_all() (a server
  // may hold a GET stream's head back until it has something to send); after close_all() the
  // request fails with MCPAUTH_ERR_CANCELLED. Reading the body is registered by the caller.
  OpenAnswers* open_answers = nullptr;
};

// An answer whose head has arrived; the body is read in pieces as the server sends them. When the
// whole body has been read, the connection goes back to a pool for the next request to its origin.
class UpstreamResponse {
 public:
  virtual ~UpstreamResponse() = default;
  virtual int status() const = 0;
  virtual const HeaderList& headers() const = 0;
  // The first header of that name (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;

  // Replaces chunk with the next bytes that have arrived (waiting for at least one); false at the
  // end of the body. Throws core::PluginError: MCPAUTH_ERR_NETWORK, or MCPAUTH_ERR_TIMEOUT after
  // read_timeout_ms without a byte.
  virtual bool read(std::string& chunk) = 0;

  // The rest of the body; throws core::PluginError(MCPAUTH_ERR_NETWORK) past max_bytes.
  std::string read_all(uint64_t max_bytes);

  // [added by the MCP client engineer, for the lead to review] Callable from any thread while
  // another is in read(): ends the answer early (that read() returns false or throws
  // MCPAUTH_ERR_NETWORK) and the connection is not reused. Does nothing once the body has ended.
  // What stops a GET stream (listen(), the legacy SSE stream) that the server keeps open.
  virtual void abort() = 0;
};

// Sends one request without credentials. Throws core::PluginError (NETWORK, TIMEOUT); messages
// name the host, never the query. A connection reused from the pool that turns out closed by the
// server before answering is replaced by a new one, once.
std::unique_ptr<UpstreamResponse> send_upstream(const UpstreamRequest& request);

// How a request is authenticated, and what to do when the server refuses the credentials.
struct Authentication {
  // The headers to add; throws core::PluginError(MCPAUTH_ERR_AUTH_REQUIRED) when the user must
  // authorize first.
  std::function<HeaderList()> credentials;
  // The plugin's answer to a 401 or 403: MCPAUTH_CHALLENGE_RETRY, _AUTHORIZE or _FAIL.
  std::function<int32_t(int http_status, const std::string& www_authenticate)> challenge;
  // Runs an interactive authorization (the CLI's loopback sign-in) and returns once the plugin
  // holds new credentials, or throws (the gateway cannot: it tells the user where to sign in).
  std::function<void()> authorize;
};

// The authentication of `user` with the server's auth plugin; authorize as above.
Authentication plugin_authentication(const core::AuthInstance& auth, std::string user, std::function<void()> authorize);

// Sends the request with credentials. A 401 or 403 goes to authentication.challenge (the plugin
// tells an expired token or insufficient_scope from a plain refusal): RETRY sends again with fresh
// credentials, AUTHORIZE runs authorize() and sends again, FAIL returns that answer. So does a
// refusal after max_sends sends. Credentials that need an authorization before the first send run
// authorize() too. Throws what credentials, challenge, authorize and send_upstream throw.
std::unique_ptr<UpstreamResponse> send_authenticated(const UpstreamRequest& request,
                                                     const Authentication& authentication, int max_sends = 3);

}  // namespace mcpauth::mcp
