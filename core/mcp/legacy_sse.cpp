#include "mcpauth/mcp/legacy_sse.h"

#include "http_answers.h"

#include "mcpauth/core/http_session.h"
#include "mcpauth/mcp/jsonrpc.h"
#include "mcpauth/mcp/open_answers.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace mcpauth::mcp {

struct LegacySseTransport::Impl {
  std::string sse_url;
  std::string host;
  Authentication authentication;

  std::mutex mutex;  // guards what follows
  std::condition_variable changed;
  std::optional<std::string> endpoint;  // where to POST, once the stream has named it
  std::optional<std::string> unusable;  // why there is no stream to answer: it ended, or was refused
  bool closed = false;
  OpenAnswers listening;

  // The endpoint event's URL, resolved against the stream's; same origin only, so the credentials
  // never go to another server.
  std::string resolve_endpoint(const std::string& reference) const {
    try {
      const Poco::URI base(sse_url);
      Poco::URI resolved(base);
      resolved.resolve(reference);
      if (core::origin_of(resolved) == core::origin_of(base)) return resolved.toString();
      throw TransportError("MCP server " + host + " named a message endpoint on another origin (" +
                           core::origin_of(resolved) + "); refusing to send it anything");
    } catch (const Poco::Exception&) {
      throw TransportError("MCP server " + host + " named a message endpoint that is not a URL");
    }
  }

  void stream_ended(std::string why) {
    std::lock_guard lock(mutex);
    endpoint.reset();
    unusable = std::move(why);
    changed.notify_all();
  }

  std::string wait_for_endpoint(uint32_t timeout_ms) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return endpoint || unusable || closed; });
    if (closed) throw TransportError("the connection to MCP server " + host + " is closed");
    if (endpoint) return *endpoint;
    if (unusable) throw TransportError(*unusable);
    throw TransportError("MCP server " + host + " named no message endpoint on its event stream within " +
                         std::to_string(timeout_ms / 1000) + " s");
  }
};

LegacySseTransport::LegacySseTransport(std::string sse_url, Authentication authentication)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = detail::host_of(sse_url);
  impl_->sse_url = std::move(sse_url);
  impl_->authentication = std::move(authentication);
}

LegacySseTransport::~LegacySseTransport() = default;

void LegacySseTransport::post(const std::string& message_json, const MessageSink& on_message) {
  parse_message(message_json);  // what Streamable HTTP refuses, this refuses too
  UpstreamRequest request;
  request.headers = {{"Accept", "application/json, text/event-stream"}, {"Content-Type", "application/json"}};
  request.url = impl_->wait_for_endpoint(request.connect_timeout_ms);
  request.body = message_json;
  std::unique_ptr<UpstreamResponse> response = send_authenticated(request, impl_->authentication);
  const int status = response->status();
  if (status < 200 || status > 299) throw detail::refusal(*response, impl_->host, "POST");
  if (status == 202) {  // the answer comes on the stream
    response->read_all(kMaxMessageBytes);
    return;
  }
  detail::read_messages(*response, impl_->host, on_message);
}

bool LegacySseTransport::listen(const MessageSink& on_message) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->closed) return true;
    impl_->endpoint.reset();
    impl_->unusable.reset();
  }
  UpstreamRequest request;
  request.method = "GET";
  request.url = impl_->sse_url;
  request.headers = {{"Accept", "text/event-stream"}};
  try {
    std::unique_ptr<UpstreamResponse> response = send_authenticated(request, impl_->authentication);
    if (response->status() < 200 || response->status() > 299) throw detail::refusal(*response, impl_->host, "GET");
    if (detail::media_type_of(*response) != "text/event-stream")
      throw TransportError("MCP server " + impl_->host + " answered the GET for its event stream with Content-Type '" +
                           detail::media_type_of(*response) + "'");
    const OpenAnswers::Registration registration = impl_->listening.add(*response);
    if (!registration) return true;
    detail::read_events(*response, impl_->host, [&](const SseEvent& event) {
      if (event.type == "endpoint") {
        const std::string endpoint = impl_->resolve_endpoint(event.data);
        std::lock_guard lock(impl_->mutex);
        impl_->endpoint = endpoint;
        impl_->changed.notify_all();
      } else if (event.type == "message" && !event.data.empty()) {
        on_message(detail::message_of(event.data, impl_->host));
      }
    });
    impl_->stream_ended("MCP server " + impl_->host + " closed its event stream");
    return true;
  } catch (const std::exception& e) {
    impl_->stream_ended(e.what());
    throw;
  }
}

void LegacySseTransport::close() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->closed = true;
    impl_->changed.notify_all();
  }
  impl_->listening.close_all();
}

}  // namespace mcpauth::mcp
