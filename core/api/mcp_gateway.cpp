// The MCP gateway: POST, GET and DELETE /mcp/{server} forward a user's MCP traffic (Streamable
// HTTP) to the server's URL with the credentials the server's auth plugin holds for that user, and
// pass the answer back piece by piece as it arrives.
#include "access.h"
#include "handlers.h"
#include "http_error.h"
#include "jsonrpc_errors.h"
#include "sse_answer_watch.h"
#include "status_view.h"

#include "mcpauth/config/printable.h"
#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/mcp/upstream.h"

#include <Poco/String.h>

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace mcpauth::api {
namespace {

using Poco::Dynamic::Var;

// What a client may tell the MCP server: the message and its session. Never its Authorization,
// its cookies, the identity or proxy secret headers, or anything else the proxy in front added.
constexpr std::array<std::string_view, 5> kRequestHeaders = {"Content-Type", "Accept", "Mcp-Session-Id",
                                                             "MCP-Protocol-Version", "Last-Event-ID"};
// What the client hears besides the status and Content-Type; never Set-Cookie, nor
// WWW-Authenticate (it is about the gateway's credentials, not the client's).
constexpr std::array<std::string_view, 2> kAnswerHeaders = {"Mcp-Session-Id", "MCP-Protocol-Version"};

// MCP messages carry tool arguments (documents, images in base64), much more than the API's own
// bodies: up to 4 MiB, what the TS SDK's servers accept, or limits.max_body_bytes when larger.
constexpr int64_t kMaxMessageBytes = 4 << 20;

// The user must authorize first, which only a browser can do (at the OAuth start route).
struct AuthorizationNeeded {};

// A failure of the server's auth plugin (refreshing, stepping up), as opposed to one of the server.
class CredentialsFailed : public std::runtime_error {
 public:
  CredentialsFailed(int32_t status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int32_t status() const { return status_; }

 private:
  int32_t status_;
};

// Runs a call of the plugin, with its errors told apart from the MCP server's.
template <class Call>
auto plugin_call(const Call& call) {
  try {
    return call();
  } catch (const core::PluginError& e) {
    if (e.status() == MCPAUTH_ERR_AUTH_REQUIRED) throw AuthorizationNeeded{};
    throw CredentialsFailed(e.status(), e.what());
  }
}

mcp::Authentication user_authentication(const core::AuthInstance& auth, const std::string& user) {
  mcp::Authentication authentication = mcp::plugin_authentication(auth, user, [] { throw AuthorizationNeeded{}; });
  authentication.credentials = [inner = std::move(authentication.credentials)] { return plugin_call(inner); };
  authentication.challenge = [inner = std::move(authentication.challenge)](int status, const std::string& header) {
    return plugin_call([&] { return inner(status, header); });
  };
  return authentication;
}

std::string media_type(const std::string& content_type) {
  return Poco::toLower(Poco::trim(content_type.substr(0, content_type.find(';'))));
}

bool forwarded_request_header(const std::string& name) {
  return std::any_of(kRequestHeaders.begin(), kRequestHeaders.end(),
                     [&](std::string_view allowed) { return Poco::icompare(name, std::string(allowed)) == 0; });
}

mcp::UpstreamRequest upstream_request(ApiContext& api, Exchange& exchange, const config::ServerConfig& server,
                                      std::string body) {
  mcp::UpstreamRequest request;
  request.method = exchange.request().getMethod();
  request.url = server.url;
  for (const auto& [name, value] : exchange.request())
    if (forwarded_request_header(name)) request.headers.emplace_back(name, value);
  request.body = std::move(body);
  request.open_answers = &api.upstream_answers;  // `serve` stopping ends the wait for an answer
  return request;
}

// 401 with the JSON-RPC error Atlas UI reads as "auth_required": where the user signs in (OAuth
// servers), or what else gives this server a token.
void send_authorization_required(ApiContext& api, Exchange& exchange, const ServerEntry& server, const Var& id) {
  const std::string& name = server.config.name;
  Poco::JSON::Object::Ptr status;
  try {
    status = parse_status(server.binding->auth().status(exchange.user));
  } catch (const core::PluginError&) {  // the auth type then comes from the configuration
    status = new Poco::JSON::Object;
  }
  const std::string auth_type = atlas_auth_type(server.config, *status);
  Poco::JSON::Object::Ptr data = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  data->set("auth_required", true);
  data->set("server_name", name);
  if (auth_type == "oauth") {
    data->set("oauth_start_url", api.oauth_url(name, "start"));
  } else if (takes_server_token(auth_type)) {
    data->set("detail", "An admin must upload a JWT for server '" + name + "' (POST /admin/mcp/" + name +
                            "/jwt), or the user must save their own token (POST /api/mcp/auth/" + name + "/token)");
  } else {
    data->set("detail", "Server '" + name + "' refuses the credentials of its auth plugin '" +
                            server.config.auth.plugin + "'; see its configuration");
  }
  send_jsonrpc_error(exchange, 401, id, kJsonRpcAuthRequired, "Authorization required for MCP server '" + name + "'",
                     data);
}

// The MCP server could not be asked, or did not answer.
void send_upstream_failure(Exchange& exchange, const std::string& name, const core::PluginError& e, const Var& id) {
  core::log(core::LogLevel::warn, "gateway", "server '" + name + "': " + e.what());
  const bool timeout = e.status() == MCPAUTH_ERR_TIMEOUT;
  Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
  data->set("server_name", name);
  send_jsonrpc_error(
      exchange, timeout ? 504 : 502, id, kJsonRpcServerError,
      timeout ? "MCP server '" + name + "' did not answer in time" : "MCP server '" + name + "' could not be reached",
      data);
}

void send_credentials_failure(Exchange& exchange, const std::string& name, const CredentialsFailed& e, const Var& id) {
  core::log(core::LogLevel::warn, "gateway",
            "server '" + name + "': credentials for " + config::printable(exchange.user) + ": " + e.what());
  Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
  data->set("server_name", name);
  // The plugin refuses to go on (e.g. step-ups past its limit): signing in again would not help.
  if (e.status() == MCPAUTH_ERR_DENIED)
    return send_jsonrpc_error(exchange, 403, id, kJsonRpcServerError,
                              "MCP server '" + name + "' denies access to this user; its auth plugin gave up", data);
  send_jsonrpc_error(exchange, 502, id, kJsonRpcServerError,
                     "Credentials for MCP server '" + name + "' could not be obtained; try again later", data);
}

bool has_body(const mcp::UpstreamResponse& answer) {
  return answer.status() != 204 && answer.status() != 304 && answer.header("Content-Length") != "0";
}

// The answer's head now, then each piece of its body as it arrives. An answer cut off by the server
// reaches the client cut off too. An event stream that ends without the answer to the request, and
// that the client cannot resume, gets an error for the request first: the client would otherwise
// wait for it forever.
void forward_answer(ApiContext& api, Exchange& exchange, const std::string& name, mcp::UpstreamResponse& answer,
                    const std::string& request_body) {
  for (std::string_view header : kAnswerHeaders)
    if (std::optional<std::string> value = answer.header(header)) exchange.response().set(std::string(header), *value);
  const std::string content_type = answer.header("Content-Type").value_or("");
  if (!has_body(answer)) return exchange.send(answer.status(), content_type, "");
  // A JSON answer of known length goes out whole: one write instead of three chunked ones, which
  // is most of the gateway's cost per call (tests/bench/run_gateway_bench.sh).
  if (media_type(content_type) != "text/event-stream" && answer.header("Content-Length")) {
    std::string body;
    try {
      body = answer.read_all(kMaxMessageBytes);
    } catch (const core::PluginError& e) {
      return send_upstream_failure(exchange, name, e, jsonrpc_request_id(request_body));
    }
    return exchange.send(answer.status(), content_type, body);
  }
  // Event streams answering a request are watched for the answer (see SseAnswerWatch).
  const Var id = media_type(content_type) == "text/event-stream" ? jsonrpc_request_id(request_body) : Var();
  std::optional<SseAnswerWatch> watch;
  if (!id.isEmpty()) watch.emplace(id);
  exchange.start_stream(answer.status(), content_type);
  std::optional<ClientDepartures::Watch> departure;
  if (const int client = exchange.client_socket(); client >= 0)
    departure.emplace(api.client_departures, client, answer);
  bool cut = false;
  std::string chunk;
  try {
    while (answer.read(chunk)) {
      if (watch) watch->see(chunk);
      if (!exchange.write_chunk(chunk)) {  // the client went away: so does the upstream connection
        core::log(core::LogLevel::debug, "gateway", "server '" + name + "': the client left before the answer ended");
        return;
      }
    }
  } catch (const core::PluginError& e) {
    core::log(core::LogLevel::warn, "gateway", "server '" + name + "': the answer was cut off: " + e.what());
    cut = true;
  }
  if (departure && departure->client_left()) {
    core::log(core::LogLevel::debug, "gateway", "server '" + name + "': the client hung up during the answer");
    return exchange.abort_stream();
  }
  if (watch && watch->unanswered()) {
    if (!cut)
      core::log(core::LogLevel::warn, "gateway", "server '" + name + "' ended the event stream without the answer");
    // Blank lines first end whatever event the server left unfinished.
    const std::string error =
        jsonrpc_error(id, kJsonRpcServerError, "MCP server '" + name + "' closed the stream before answering");
    exchange.write_chunk("\n\nevent: message\ndata: " + error + "\n\n");
  } else if (cut) {
    exchange.abort_stream();
  }
}

// Each server-initiated stream (GET) holds a connection thread for as long as it is open: at most
// half of limits.max_connections may, so that requests always find threads.
class StreamSlot {
 public:
  explicit StreamSlot(ApiContext& api) : open_(api.open_mcp_streams) {
    const int64_t most = std::max<int64_t>(1, api.settings.limits.max_connections / 2);
    taken_ = ++open_ <= most;
    if (!taken_) --open_;
  }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;
  ~StreamSlot() {
    if (taken_) --open_;
  }
  bool taken() const { return taken_; }

 private:
  std::atomic<int64_t>& open_;
  bool taken_;
};

}  // namespace

void handle_mcp(ApiContext& api, Exchange& exchange) {
  const std::string method = exchange.request().getMethod();
  if (method == "HEAD") {  // the routes take it for a GET, which here would open a stream
    exchange.response().set("Allow", "POST, GET, DELETE");
    throw HttpError(405, "Method Not Allowed");
  }
  require_user(api, exchange);
  const ServerEntry& server = require_server(api, exchange);
  require_server_access(api, exchange, server);
  const std::string& name = server.config.name;
  if (server.config.transport != "http")
    throw HttpError(400, "MCP server '" + name + "' uses transport '" + server.config.transport +
                             "': the gateway forwards only Streamable HTTP servers (transport 'http')");
  const core::AuthInstance& auth = require_binding(server).auth();
  std::string body =
      method == "POST" ? exchange.read_body(std::max(api.settings.limits.max_body_bytes, kMaxMessageBytes)) : "";

  std::optional<StreamSlot> slot;
  if (method == "GET") {
    slot.emplace(api);
    // 405 is how a server says it offers no stream: clients carry on without one.
    if (!slot->taken()) {
      exchange.response().set("Allow", "POST, DELETE");
      return send_jsonrpc_error(exchange, 405, Var(), kJsonRpcServerError,
                                "Too many open streams: no server-initiated stream for now");
    }
  }

  const mcp::UpstreamRequest request = upstream_request(api, exchange, server.config, std::move(body));
  // Read from the body only when an answer needs it: most answers are passed on as they are.
  const auto id = [&request] { return jsonrpc_request_id(request.body); };
  std::unique_ptr<mcp::UpstreamResponse> answer;
  try {
    answer = mcp::send_authenticated(request, user_authentication(auth, exchange.user));
  } catch (const AuthorizationNeeded&) {
    return send_authorization_required(api, exchange, server, id());
  } catch (const CredentialsFailed& e) {
    return send_credentials_failure(exchange, name, e, id());
  } catch (const core::PluginError& e) {
    return send_upstream_failure(exchange, name, e, id());
  }
  const mcp::OpenAnswers::Registration registration = api.upstream_answers.add(*answer);
  if (answer->status() == 401) {  // still, after the plugin's refresh and retry
    core::log(core::LogLevel::info, "gateway",
              "server '" + name + "' refused the credentials of " + config::printable(exchange.user));
    return send_authorization_required(api, exchange, server, id());
  }
  forward_answer(api, exchange, name, *answer, request.body);
}

}  // namespace mcpauth::api
