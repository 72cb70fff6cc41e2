#include "api_harness.h"

#include "crypto/base64url.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <chrono>
#include <sstream>

namespace mcpauth::test {
namespace {

std::string base64url_nopad(const std::string& text) {
  std::string encoded = crypto::base64url_encode(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  while (encoded.ends_with('=')) encoded.pop_back();
  return encoded;
}

// "HTTP/1.1 200 OK\r\nName: value\r\n...\r\n\r\nbody"
HttpReply parse_raw_answer(const std::string& text) {
  HttpReply reply;
  const size_t head_end = text.find("\r\n\r\n");
  if (text.size() < 12 || head_end == std::string::npos) return reply;
  reply.status = std::stoi(text.substr(9, 3));
  std::istringstream head(text.substr(0, head_end));
  std::string line;
  std::getline(head, line);  // the status line
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon != std::string::npos)
      reply.headers.emplace_back(line.substr(0, colon), Poco::trim(line.substr(colon + 1)));
  }
  reply.body = text.substr(head_end + 4);
  return reply;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (Poco::icompare(key, name) == 0) return value;
  return "";
}

Poco::JSON::Object::Ptr HttpReply::json() const {
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

std::string HttpReply::detail() const {
  Poco::JSON::Object::Ptr object = json();
  return object && object->get("detail").isString() ? object->getValue<std::string>("detail") : "";
}

HttpReply http_request(uint16_t port, const std::string& method, const std::string& target, const HeaderList& headers,
                       const std::string& body, const std::string& content_type) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.add(name, value);
  if (!body.empty() || method == "POST") {
    request.setContentType(content_type);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpReply reply;
  reply.status = response.getStatus();
  for (const auto& [name, value] : response) reply.headers.emplace_back(name, value);
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

HttpReply raw_request(uint16_t port, const std::string& bytes) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(30, 0));
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string text;
  char buffer[4096];
  try {
    while (int n = socket.receiveBytes(buffer, sizeof buffer)) text.append(buffer, static_cast<size_t>(n));
  } catch (const Poco::Exception&) {  // a reset after the answer: what arrived counts
  }
  return parse_raw_answer(text);
}

config::Config parse_config(const std::string& json) {
  config::LoadOptions options;
  options.getenv = [](const std::string&) { return std::nullopt; };
  options.home = "/nonexistent-home";
  return config::parse_config_text(json, "test.json", config::Format::Json, options);
}

std::string standard_config(const std::string& settings) {
  return R"({
    "mcpauth": {
      "user_groups": {"root@example.com": ["admin"], "alice@example.com": ["dev"], "bob@example.com": []})" +
         (settings.empty() ? "" : ",\n" + settings) + R"(
    },
    "jwt-server": {"url": "https://tools.example.com/mcp", "auth_type": "jwt"},
    "team": {"url": "https://team.example.com/mcp", "auth_type": "bearer", "groups": ["dev"]},
    "shared": {"url": "https://shared.example.com/mcp", "auth_type": "bearer"},
    "open": {"url": "https://open.example.com/mcp"},
    "web": {"url": "https://web.example.com/mcp", "auth": {"plugin": "web_flow_test"}},
    "oauth": {"url": "http://127.0.0.1:9/mcp", "auth_type": "oauth"},
    "off": {"url": "https://off.example.com/mcp", "auth_type": "jwt", "enabled": false},
    "broken": {"url": "https://broken.example.com/mcp", "auth": {"plugin": "no_such_plugin"}}
  })";
}

const core::PluginRegistry& test_plugins() {
  static const core::PluginRegistry registry = [] {
    core::PluginRegistry loaded;
    loaded.scan({SHIPPED_PLUGIN_DIR, API_TEST_PLUGIN_DIR});
    return loaded;
  }();
  return registry;
}

ApiHarness::ApiHarness(const std::string& config_json) : ApiHarness(parse_config(config_json)) {}

ApiHarness::ApiHarness(const config::Config& config) {
  config::Config local = config;
  local.settings.listen = "127.0.0.1:0";
  server_ = std::make_unique<api::ApiServer>(local, test_plugins());
  server_->start();
}

HeaderList ApiHarness::with_user(const std::string& user, HeaderList headers) {
  if (!user.empty()) headers.emplace_back("X-User-Email", user);
  return headers;
}

HttpReply ApiHarness::get(const std::string& target, const std::string& user, HeaderList headers) const {
  return http_request(port(), "GET", target, with_user(user, std::move(headers)));
}

HttpReply ApiHarness::del(const std::string& target, const std::string& user, HeaderList headers) const {
  return http_request(port(), "DELETE", target, with_user(user, std::move(headers)));
}

HttpReply ApiHarness::post_json(const std::string& target, const std::string& user, const std::string& body,
                                HeaderList headers) const {
  return http_request(port(), "POST", target, with_user(user, std::move(headers)), body);
}

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string make_jwt(std::optional<int64_t> exp, const std::string& subject) {
  std::string claims = R"({"sub":")" + subject + R"(","iss":"https://issuer.example")";
  if (exp) claims += R"(,"exp":)" + std::to_string(*exp);
  claims += "}";
  return base64url_nopad(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url_nopad(claims) + "." +
         base64url_nopad("not-a-real-signature");
}

}  // namespace mcpauth::test
