// An HTTP request and its answer held in memory, for driving mcpauth serve's request handler
// without sockets: the request is parsed from "METHOD TARGET\nName: value\n...\n\nbody".
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include <sstream>
#include <string_view>

namespace mcpauth::fuzz {

class MemoryResponse : public Poco::Net::HTTPServerResponse {
 public:
  void sendContinue() override {}
  std::ostream& send() override;
  void sendFile(const std::string&, const std::string&) override { send(); }
  void sendBuffer(const void* buffer, std::size_t length) override;
  void redirect(const std::string& uri, HTTPStatus status) override;
  void requireAuthentication(const std::string&) override { send(); }
  bool sent() const override { return sent_; }

  std::string body() const { return body_.str(); }

 private:
  std::ostringstream body_;
  bool sent_ = false;
};

class MemoryRequest : public Poco::Net::HTTPServerRequest {
 public:
  // False when the text has no request line.
  bool parse(std::string_view text);

  std::istream& stream() override { return body_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return address_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return address_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
  Poco::Net::HTTPServerResponse& response() const override { return response_; }
  bool secure() const override { return false; }

 private:
  std::istringstream body_;
  Poco::Net::SocketAddress address_{"127.0.0.1", 8000};
  Poco::Net::HTTPServerParams::Ptr params_ = new Poco::Net::HTTPServerParams;
  mutable MemoryResponse response_;
};

}  // namespace mcpauth::fuzz
