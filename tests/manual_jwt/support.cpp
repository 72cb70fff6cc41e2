#include "support.h"

#include "crypto/base64url.h"
#include "mcpauth/config/config.h"

#include <Poco/JSON/Parser.h>

#include <chrono>

namespace manual_jwt_test {
namespace {

const mcpauth::core::PluginRegistry& registry() {
  static const mcpauth::core::PluginRegistry loaded = [] {
    mcpauth::core::PluginRegistry plugins;
    plugins.scan({SHIPPED_PLUGIN_DIR});
    return plugins;
  }();
  return loaded;
}

}  // namespace

std::string b64(const std::string& data) {
  std::string text =
      mcpauth::crypto::base64url_encode(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
  return text.substr(0, text.find('='));
}

std::string make_jwt(const std::string& header_json, const std::string& claims_json, const std::string& signature) {
  return b64(header_json) + "." + b64(claims_json) + "." + signature;
}

std::string jwt_with_claims(const std::string& claims_json) {
  return make_jwt(R"({"alg":"HS256","typ":"JWT"})", claims_json);
}

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Server::Server(const std::string& server_json, const std::string& name) : name_(name) {
  const std::string text = R"({")" + name + R"(": )" + server_json + "}";
  mcpauth::config::Config config =
      mcpauth::config::parse_config_text(text, "test.json", mcpauth::config::Format::Json, {});
  binding_ = std::make_unique<mcpauth::core::ServerBinding>(registry(), config.servers.at(0));
}

std::string Server::stored(const std::string& key) {
  auto value = storage().get(name_ + "/" + key);
  return value ? std::string(value->begin(), value->end()) : std::string();
}

std::string memory_server(const std::string& auth_fields) {
  return R"({"url": "https://mcp.example.test/mcp", "storage": {"plugin": "memory"}, )" + auth_fields + "}";
}

std::string header(const HeaderList& headers, const std::string& name) {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  throw std::logic_error("no header " + name);
}

Poco::JSON::Object::Ptr parse(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace manual_jwt_test
