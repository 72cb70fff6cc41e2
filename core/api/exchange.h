// One request and its answer: what the routes read (path, query, cookies, a body within the
// limits) and how they answer (JSON, errors, redirects, or a body streamed as it is produced), plus
// what the request log line needs.
#pragma once

#include "mcpauth/config/config.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace mcpauth::api {

class Exchange {
 public:
  Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
           const config::ServeLimits& limits);

  Poco::Net::HTTPServerRequest& request() { return request_; }
  Poco::Net::HTTPServerResponse& response() { return response_; }  // for headers before a send_*
  const std::string& path() const { return path_; }                // raw, without the query
  const std::string& query() const { return query_; }              // raw, without the '?'

  std::string server;  // the {server} segment of the route, once matched
  std::string user;    // the authenticated user, once known ("" before)

  // The body, which must be a JSON object sent as application/json, within max_body_bytes and
  // timeout_s. Throws HttpError: 415, 413, 408, 400 (unreadable or not JSON), 422 (not an object).
  Poco::JSON::Object::Ptr read_json_object();
  // The body as it is ("" when there is none), within max_bytes and timeout_s. Throws HttpError:
  // 413, 408, 400 (unreadable).
  std::string read_body(int64_t max_bytes);

  std::optional<std::string> cookie(const std::string& name) const;

  // Each sends the whole answer, with Cache-Control: no-store and X-Content-Type-Options: nosniff.
  void send(int status, const std::string& content_type, const std::string& body);
  void send_json(int status, const Poco::JSON::Object& body);
  void send_error(int status, const std::string& detail);  // {"detail": detail}
  void send_redirect(const std::string& location);         // 302

  // An answer whose body follows in pieces, each sent to the client as soon as it is written
  // (chunked transfer encoding), with the same headers as send plus X-Accel-Buffering: no, so
  // that a reverse proxy in front passes the pieces on as they come.
  void start_stream(int status, const std::string& content_type);
  // Sends one piece at once; false when the client has gone away (the rest is then pointless).
  bool write_chunk(std::string_view data);
  // Ends a started stream without its end mark and closes the connection: the client sees a cut
  // answer, not a complete one.
  void abort_stream();

  // The connection's socket (its file descriptor), to poll for the client hanging up; -1 when the
  // request did not come from Poco's HTTP server.
  int client_socket() const;

  bool sent() const { return status_ != 0; }
  int status() const { return status_; }

 private:
  enum class Body { unread, read, abandoned };  // abandoned: left unread, the connection will close

  bool has_body() const;
  void start_answer(int status);
  void discard_body(std::chrono::steady_clock::time_point deadline, std::streamsize max_bytes);
  void finish_body();

  Poco::Net::HTTPServerRequest& request_;
  Poco::Net::HTTPServerResponse& response_;
  const config::ServeLimits& limits_;
  std::string path_, query_;
  Body body_ = Body::unread;
  int status_ = 0;
  std::ostream* stream_ = nullptr;  // the body of a started stream
};

}  // namespace mcpauth::api
