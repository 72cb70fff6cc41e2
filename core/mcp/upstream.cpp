#include "mcpauth/mcp/upstream.h"

#include "connection_pool.h"

#include "mcpauth/mcp/open_answers.h"

#include "mcpauth/core/http_session.h"
#include "mcpauth/core/plugin_error.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

#include <sys/socket.h>

#include <atomic>
#include <istream>
#include <mutex>

namespace mcpauth::mcp {
namespace {

using core::PluginError;

Poco::Timespan milliseconds(uint32_t ms) { return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms) * 1000); }

// Poco and system errors as the PluginError the callers expect; the host only, never the query.
[[noreturn]] void rethrow_as_plugin_error(const std::string& host) {
  try {
    throw;
  } catch (const PluginError&) {
    throw;
  } catch (const Poco::TimeoutException&) {
    throw PluginError(MCPAUTH_ERR_TIMEOUT, "request to " + host + " timed out");
  } catch (const Poco::Exception& e) {
    throw PluginError(MCPAUTH_ERR_NETWORK, "request to " + host + " failed: " + e.displayText());
  } catch (const std::exception& e) {
    throw PluginError(MCPAUTH_ERR_NETWORK, "request to " + host + " failed: " + e.what());
  }
}

class PooledResponse : public UpstreamResponse {
 public:
  PooledResponse(ConnectionPool::Session session, std::string origin, std::string host)
      : session_(std::move(session)), origin_(std::move(origin)), host_(std::move(host)) {}

  // Sends the request and reads the answer's head. Throws Poco exceptions.
  void exchange(const UpstreamRequest& request, const Poco::URI& uri) {
    Poco::Net::HTTPRequest http_request(request.method, uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                        Poco::Net::HTTPMessage::HTTP_1_1);
    http_request.setKeepAlive(true);
    for (const auto& [name, value] : request.headers) http_request.add(name, value);
    const bool with_body = !request.body.empty() || request.method == "POST";
    if (with_body) http_request.setContentLength(static_cast<std::streamsize>(request.body.size()));
    std::ostream& out = session_->sendRequest(http_request);
    if (with_body) out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    body_ = &session_->receiveResponse(response_);
    body_->exceptions(std::ios::badbit);  // a failed read throws Poco's exception instead of looking like the end
    for (const auto& [name, value] : response_) headers_.emplace_back(name, value);
    if (response_.hasContentLength()) expected_bytes_ = response_.getContentLength64();
  }

  int status() const override { return static_cast<int>(response_.getStatus()); }
  const HeaderList& headers() const override { return headers_; }

  bool read(std::string& chunk) override {
    if (finished_) return false;
    try {
      // peek() waits for the next bytes; readsome() then takes what arrived, without waiting for more.
      if (body_->peek() == std::char_traits<char>::eof()) return finish();
      char buffer[16384];
      const std::streamsize count = body_->readsome(buffer, sizeof buffer);
      chunk.assign(buffer, static_cast<size_t>(count));
      received_bytes_ += count;
      return true;
    } catch (...) {
      {
        std::lock_guard lock(abort_mutex_);
        finished_ = true;
      }
      if (aborted_) return false;
      rethrow_as_plugin_error(host_);
    }
  }

  void abort() override {
    std::lock_guard lock(abort_mutex_);
    if (finished_) return;
    aborted_ = true;
    // The socket itself, not Poco's (TLS) shutdown: a bare syscall is safe next to a read on another
    // thread, and wakes it.
    ::shutdown(session_->socket().impl()->sockfd(), SHUT_RDWR);
  }

 private:
  // The end of the body: complete, or cut off by the server. Poco (1.11) reports a body cut short
  // as its end, so: fewer bytes than Content-Length, or a chunked body on a keep-alive connection
  // that the server has closed (after a complete one, the connection stays open).
  bool finish() {
    std::lock_guard lock(abort_mutex_);
    finished_ = true;
    if (aborted_) return false;
    const bool cut_short =
        expected_bytes_ >= 0 ? received_bytes_ < expected_bytes_
                             : response_.getChunkedTransferEncoding() && response_.getKeepAlive() && closed_by_server();
    if (cut_short)
      throw PluginError(MCPAUTH_ERR_NETWORK, "the connection to " + host_ + " closed before the answer was complete");
    if (response_.getKeepAlive()) ConnectionPool::shared().give_back(origin_, std::move(session_));
    return false;
  }

  bool closed_by_server() {
    Poco::Net::StreamSocket& socket = session_->socket();
    return socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ) && socket.available() == 0;
  }

  ConnectionPool::Session session_;
  std::string origin_, host_;
  Poco::Net::HTTPResponse response_;
  std::istream* body_ = nullptr;
  HeaderList headers_;
  std::streamsize expected_bytes_ = -1;
  std::streamsize received_bytes_ = 0;
  std::mutex abort_mutex_;  // guards finished_ against abort() on another thread
  bool finished_ = false;
  std::atomic<bool> aborted_ = false;
};

// A pooled connection the server has closed meanwhile fails before any answer arrives.
bool closed_before_answer(const Poco::Exception& e) {
  return dynamic_cast<const Poco::Net::NoMessageException*>(&e) != nullptr ||
         dynamic_cast<const Poco::Net::ConnectionResetException*>(&e) != nullptr ||
         dynamic_cast<const Poco::Net::ConnectionAbortedException*>(&e) != nullptr;
}

bool is_auth_required(const PluginError& e) { return e.status() == MCPAUTH_ERR_AUTH_REQUIRED; }

// response.exchange(), abortable through request.open_answers while it waits.
void exchange_abortably(PooledResponse& response, const UpstreamRequest& request, const Poco::URI& uri) {
  if (request.open_answers == nullptr) return response.exchange(request, uri);
  const OpenAnswers::Registration registration = request.open_answers->add(response);
  if (!registration)
    throw PluginError(MCPAUTH_ERR_CANCELLED, "request to " + uri.getHost() + " not sent: shutting down");
  response.exchange(request, uri);
}

}  // namespace

std::optional<std::string> UpstreamResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers())
    if (Poco::icompare(key, std::string(name)) == 0) return value;
  return std::nullopt;
}

std::string UpstreamResponse::read_all(uint64_t max_bytes) {
  std::string body, chunk;
  while (read(chunk)) {
    body += chunk;
    if (body.size() > max_bytes)
      throw PluginError(MCPAUTH_ERR_NETWORK, "answer larger than " + std::to_string(max_bytes) + " bytes");
  }
  return body;
}

std::unique_ptr<UpstreamResponse> send_upstream(const UpstreamRequest& request) {
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception&) {
    throw PluginError(MCPAUTH_ERR_NETWORK, "invalid MCP server URL");
  }
  if (uri.getHost().empty()) throw PluginError(MCPAUTH_ERR_NETWORK, "MCP server URL has no host");
  const std::string origin = core::origin_of(uri);
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    ConnectionPool::Session session = ConnectionPool::shared().take(uri, reused);
    session->setTimeout(milliseconds(request.connect_timeout_ms), milliseconds(request.read_timeout_ms),
                        milliseconds(request.read_timeout_ms));
    auto response = std::make_unique<PooledResponse>(std::move(session), origin, uri.getHost());
    try {
      exchange_abortably(*response, request, uri);
      return response;
    } catch (const Poco::Exception& e) {
      if (reused && attempt == 0 && closed_before_answer(e)) {
        // The server closed its idle connections (it restarted, say): the others are as stale.
        ConnectionPool::shared().forget(origin);
        continue;
      }
      rethrow_as_plugin_error(uri.getHost());
    } catch (...) {
      rethrow_as_plugin_error(uri.getHost());
    }
  }
}

Authentication plugin_authentication(const core::AuthInstance& auth, std::string user,
                                     std::function<void()> authorize) {
  Authentication authentication;
  authentication.credentials = [&auth, user] { return auth.get_credentials(user); };
  authentication.challenge = [&auth, user](int http_status, const std::string& www_authenticate) {
    return auth.on_challenge(user, http_status, www_authenticate);
  };
  authentication.authorize = std::move(authorize);
  return authentication;
}

std::unique_ptr<UpstreamResponse> send_authenticated(const UpstreamRequest& request,
                                                     const Authentication& authentication, int max_sends) {
  for (int sends = 1;; ++sends) {
    UpstreamRequest attempt = request;
    HeaderList credentials;
    try {
      credentials = authentication.credentials();
    } catch (const PluginError& e) {
      if (!is_auth_required(e)) throw;
      authentication.authorize();
      credentials = authentication.credentials();
    }
    attempt.headers.insert(attempt.headers.end(), credentials.begin(), credentials.end());
    std::unique_ptr<UpstreamResponse> response = send_upstream(attempt);
    const int status = response->status();
    if ((status != 401 && status != 403) || sends >= max_sends) return response;
    const int32_t action = authentication.challenge(status, response->header("WWW-Authenticate").value_or(""));
    if (action == MCPAUTH_CHALLENGE_FAIL) return response;
    try {
      response->read_all(64 * 1024);  // a short error body: read it so the connection can be reused
    } catch (const PluginError&) {
    }
    if (action == MCPAUTH_CHALLENGE_AUTHORIZE) authentication.authorize();
  }
}

}  // namespace mcpauth::mcp
