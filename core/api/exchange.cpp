#include "exchange.h"

#include "http_error.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <chrono>
#include <sstream>

namespace mcpauth::api {
namespace {

constexpr std::streamsize kMaxDiscardedBytes = 1 << 20;
constexpr const char* kTooSlow = "Request body did not arrive in time";

bool is_json_media_type(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  return Poco::toLower(Poco::trim(media)) == "application/json";
}

}  // namespace

Exchange::Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const config::ServeLimits& limits)
    : request_(request), response_(response), limits_(limits) {
  const std::string& target = request.getURI();
  const size_t question = target.find('?');
  path_ = target.substr(0, question);
  if (question != std::string::npos) query_ = target.substr(question + 1);
}

int Exchange::client_socket() const {
  auto* served = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request_);
  return served ? served->socket().impl()->sockfd() : -1;
}

// A request without Content-Length or chunked encoding has no body (RFC 9112 6.3).
bool Exchange::has_body() const {
  return request_.hasContentLength() ? request_.getContentLength64() > 0 : request_.getChunkedTransferEncoding();
}

std::string Exchange::read_body(int64_t max_bytes) {
  if (!has_body()) {
    body_ = Body::read;
    return "";
  }
  const auto max = static_cast<std::streamsize>(max_bytes);
  const std::string too_large = "Request body too large (limit " + std::to_string(max) + " bytes)";
  // The socket timeout bounds each read; this bounds the whole body, against clients that trickle.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits_.timeout_s);
  if (request_.hasContentLength() && request_.getContentLength64() > max) {
    if (request_.getContentLength64() <= max + kMaxDiscardedBytes)
      discard_body(deadline, max + kMaxDiscardedBytes);
    else
      body_ = Body::abandoned;
    throw HttpError(413, too_large);
  }
  std::istream& in = request_.stream();
  std::string body;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.append(buffer, static_cast<size_t>(in.gcount()));
    if (static_cast<std::streamsize>(body.size()) > max) {
      discard_body(deadline, kMaxDiscardedBytes);
      throw HttpError(413, too_large);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      body_ = Body::abandoned;
      throw HttpError(408, kTooSlow);
    }
  }
  if (in.bad()) {  // a read timed out (after the deadline, then), the client went away, or bad chunking
    body_ = Body::abandoned;
    if (std::chrono::steady_clock::now() >= deadline) throw HttpError(408, kTooSlow);
    throw HttpError(400, "Request body could not be read");
  }
  body_ = Body::read;
  return body;
}

// Closing a connection with unread data makes it a reset, which can destroy the answer before the
// client reads it; so a body not too large is read to its end (up to max_bytes more, within the
// deadline) and dropped.
void Exchange::discard_body(std::chrono::steady_clock::time_point deadline, std::streamsize max_bytes) {
  std::istream& in = request_.stream();
  char buffer[8192];
  std::streamsize total = 0;
  while (total <= max_bytes && std::chrono::steady_clock::now() < deadline &&
         (in.read(buffer, sizeof buffer) || in.gcount() > 0))
    total += in.gcount();
  body_ = in.eof() && !in.bad() ? Body::read : Body::abandoned;
}

// Before answering: a body the route did not read is dropped, or the connection will close.
void Exchange::finish_body() {
  if (body_ != Body::unread) return;
  if (!has_body()) {
    body_ = Body::read;
  } else if (!request_.hasContentLength() || request_.getContentLength64() <= kMaxDiscardedBytes) {
    discard_body(std::chrono::steady_clock::now() + std::chrono::seconds(limits_.timeout_s), kMaxDiscardedBytes);
  } else {
    body_ = Body::abandoned;
  }
}

Poco::JSON::Object::Ptr Exchange::read_json_object() {
  if (!is_json_media_type(request_.getContentType())) throw HttpError(415, "Content-Type must be application/json");
  const std::string body = read_body(limits_.max_body_bytes);
  Poco::Dynamic::Var parsed;
  try {
    parsed = Poco::JSON::Parser().parse(body);
  } catch (const Poco::Exception&) {
    throw HttpError(400, "Request body is not valid JSON");
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) throw HttpError(422, "Request body must be a JSON object");
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::optional<std::string> Exchange::cookie(const std::string& name) const {
  Poco::Net::NameValueCollection cookies;
  request_.getCookies(cookies);
  if (!cookies.has(name)) return std::nullopt;
  return cookies.get(name);
}

// The status line and the headers every answer has.
void Exchange::start_answer(int status) {
  status_ = status;
  response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response_.set("Cache-Control", "no-store");
  response_.set("X-Content-Type-Options", "nosniff");
  finish_body();
  // An unread body would be taken for the next request on this connection.
  if (body_ != Body::read) response_.setKeepAlive(false);
}

void Exchange::send(int status, const std::string& content_type, const std::string& body) {
  start_answer(status);
  if (!content_type.empty()) response_.setContentType(content_type);
  response_.sendBuffer(body.data(), body.size());
}

void Exchange::start_stream(int status, const std::string& content_type) {
  start_answer(status);
  if (!content_type.empty()) response_.setContentType(content_type);
  response_.set("X-Accel-Buffering", "no");
  response_.setChunkedTransferEncoding(true);
  stream_ = &response_.send();
  stream_->flush();  // the head now: a client waiting for the first event should see the answer started
}

bool Exchange::write_chunk(std::string_view data) {
  if (stream_ == nullptr || !stream_->good()) return false;
  stream_->write(data.data(), static_cast<std::streamsize>(data.size()));
  stream_->flush();  // a chunk of its own on the wire
  return stream_->good();
}

void Exchange::abort_stream() {
  // Shut down, not closed: Poco still owns the socket and writes the end mark into the void.
  if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request_)) {
    try {
      impl->socket().shutdown();
    } catch (const Poco::Exception&) {  // already gone
    }
  }
  response_.setKeepAlive(false);
}

void Exchange::send_json(int status, const Poco::JSON::Object& body) {
  std::ostringstream text;
  body.stringify(text);
  send(status, "application/json", text.str());
}

void Exchange::send_error(int status, const std::string& detail) {
  Poco::JSON::Object body;
  body.set("detail", detail);
  send_json(status, body);
}

void Exchange::send_redirect(const std::string& location) {
  response_.set("Location", location);
  send(302, "", "");
}

}  // namespace mcpauth::api
