#include "mcpauth/mcp/streamable_http.h"

#include "http_answers.h"
#include "resumable_answer.h"

#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/mcp/jsonrpc.h"
#include "mcpauth/mcp/open_answers.h"

#include <algorithm>

namespace mcpauth::mcp {
namespace {

constexpr const char* kSessionHeader = "Mcp-Session-Id";
constexpr const char* kVersionHeader = "MCP-Protocol-Version";
// close() runs as a process ends: a server that does not answer must not hold it up for long.
constexpr uint32_t kCloseTimeoutMs = 5'000;

// Values a server hands us that go back into request headers: visible ASCII only (no header
// injection), short.
bool is_header_safe(const std::string& value) {
  return !value.empty() && value.size() <= 256 &&
         std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

bool is_initialize_request(const Poco::JSON::Object& message) {
  return kind_of(message) == MessageKind::request && message.getValue<std::string>("method") == "initialize";
}

// The protocolVersion of an answer to initialize, if the message is one.
std::optional<std::string> negotiated_version(const Poco::JSON::Object& message) {
  if (kind_of(message) != MessageKind::response) return std::nullopt;
  const Poco::JSON::Object::Ptr result = message.getObject("result");
  if (!result || !result->has("protocolVersion") || !result->get("protocolVersion").isString()) return std::nullopt;
  return result->getValue<std::string>("protocolVersion");
}

}  // namespace

struct StreamableHttpTransport::Impl {
  std::string url;
  std::string host;
  Authentication authentication;

  mutable std::mutex mutex;  // guards what follows
  std::optional<std::string> session_id;
  std::optional<std::string> protocol_version;
  OpenAnswers listening;

  // Adds the session's headers; returns the session id sent. A new session sends none.
  std::optional<std::string> add_session_headers(HeaderList& headers, bool new_session) {
    std::lock_guard lock(mutex);
    if (new_session) {
      session_id.reset();
      protocol_version.reset();
    }
    if (session_id) headers.emplace_back(kSessionHeader, *session_id);
    if (protocol_version) headers.emplace_back(kVersionHeader, *protocol_version);
    return session_id;
  }

  // Forgets the session the server no longer knows, unless another thread has begun a new one.
  void forget_session(const std::string& expired) {
    std::lock_guard lock(mutex);
    if (session_id != expired) return;
    session_id.reset();
    protocol_version.reset();
  }

  void keep_session_id(const UpstreamResponse& response, bool initializing) {
    const std::optional<std::string> id = response.header(kSessionHeader);
    if (!id) return;
    if (!is_header_safe(*id))
      throw TransportError("MCP server " + host + " sent an Mcp-Session-Id that is not visible ASCII");
    std::lock_guard lock(mutex);
    if (initializing || !session_id) session_id = *id;
  }

  void keep_protocol_version(const std::string& version) {
    if (!is_header_safe(version)) return;  // the session refuses such an answer anyway
    std::lock_guard lock(mutex);
    protocol_version = version;
  }
};

StreamableHttpTransport::StreamableHttpTransport(std::string url, Authentication authentication)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = detail::host_of(url);
  impl_->url = std::move(url);
  impl_->authentication = std::move(authentication);
}

StreamableHttpTransport::~StreamableHttpTransport() = default;

void StreamableHttpTransport::post(const std::string& message_json, const MessageSink& on_message) {
  const Poco::JSON::Object::Ptr message = parse_message(message_json);
  const bool initializing = is_initialize_request(*message);
  UpstreamRequest request;
  request.url = impl_->url;
  request.headers = {{"Accept", "application/json, text/event-stream"}, {"Content-Type", "application/json"}};
  const std::optional<std::string> sent_session = impl_->add_session_headers(request.headers, initializing);
  request.body = message_json;

  std::unique_ptr<UpstreamResponse> response = send_authenticated(request, impl_->authentication);
  const int status = response->status();
  if (status == 404 && sent_session) {
    impl_->forget_session(*sent_session);
    throw SessionExpired("MCP server " + impl_->host + " no longer knows the session (HTTP 404)", status);
  }
  if (status < 200 || status > 299) throw detail::refusal(*response, impl_->host, "POST");
  impl_->keep_session_id(*response, initializing);
  if (status == 202) {  // accepted (a notification or a response): nothing to deliver
    response->read_all(kMaxMessageBytes);
    return;
  }
  const auto resume = [this](const std::string& last_event_id) {
    if (!is_header_safe(last_event_id))
      throw TransportError("MCP server " + impl_->host + " sent an event id that cannot go back in Last-Event-ID");
    if (impl_->listening.closed()) throw TransportError("the session with " + impl_->host + " was closed");
    UpstreamRequest get;
    get.method = "GET";
    get.url = impl_->url;
    get.headers = {{"Accept", "text/event-stream"}, {"Last-Event-ID", last_event_id}};
    impl_->add_session_headers(get.headers, false);
    return send_authenticated(get, impl_->authentication);
  };
  if (!initializing) return detail::read_answer(*response, *message, impl_->host, on_message, resume);
  detail::read_answer(
      *response, *message, impl_->host,
      [&](const Poco::JSON::Object::Ptr& received) {
        if (std::optional<std::string> version = negotiated_version(*received)) impl_->keep_protocol_version(*version);
        on_message(received);
      },
      resume);
}

bool StreamableHttpTransport::listen(const MessageSink& on_message) {
  if (impl_->listening.closed()) return true;
  UpstreamRequest request;
  request.method = "GET";
  request.url = impl_->url;
  request.headers = {{"Accept", "text/event-stream"}};
  impl_->add_session_headers(request.headers, false);

  std::unique_ptr<UpstreamResponse> response = send_authenticated(request, impl_->authentication);
  const int status = response->status();
  if (status == 404 || status == 405) {
    response->read_all(kMaxMessageBytes);
    return false;
  }
  if (status < 200 || status > 299) throw detail::refusal(*response, impl_->host, "GET");
  if (detail::media_type_of(*response) != "text/event-stream")
    throw TransportError("MCP server " + impl_->host + " answered the GET for its stream with Content-Type '" +
                         detail::media_type_of(*response) + "'");
  if (const OpenAnswers::Registration registration = impl_->listening.add(*response))
    detail::read_message_events(*response, impl_->host, on_message);
  return true;
}

void StreamableHttpTransport::close() {
  UpstreamRequest request;
  request.method = "DELETE";
  request.url = impl_->url;
  request.connect_timeout_ms = request.read_timeout_ms = kCloseTimeoutMs;
  const std::optional<std::string> session = impl_->add_session_headers(request.headers, false);
  if (session) {
    // Ending a session is not worth a sign-in in the browser.
    Authentication quiet = impl_->authentication;
    quiet.authorize = [] { throw core::PluginError(MCPAUTH_ERR_AUTH_REQUIRED, "no valid credentials left"); };
    try {
      std::unique_ptr<UpstreamResponse> response = send_authenticated(request, quiet, 2);
      const int status = response->status();
      if ((status < 200 || status > 299) && status != 404 && status != 405)
        throw detail::refusal(*response, impl_->host, "DELETE");
      response->read_all(kMaxMessageBytes);
    } catch (const std::exception& e) {
      core::log(core::LogLevel::warn, "mcp", std::string("could not end the session: ") + e.what());
    }
    impl_->forget_session(*session);
  }
  impl_->listening.close_all();
}

std::optional<std::string> StreamableHttpTransport::session_id() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->session_id;
}

std::optional<std::string> StreamableHttpTransport::protocol_version() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->protocol_version;
}

}  // namespace mcpauth::mcp
