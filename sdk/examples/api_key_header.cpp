// api_key_header: an auth plugin that sends an API key in one request header. The key is, in order,
// the user's own stored key, the server-level key an admin stored (`mcpauth serve`: POST
// /admin/mcp/{server}/jwt), or the environment variable named by `key_env`.
#include <mcpauth/plugin.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>

namespace {

using mcpauth::sdk::Error;

struct Settings {
  std::string header;
  std::string key_env;
};

// The host has already validated the config against the schema below, but does not fill in
// defaults: the plugin applies them.
Settings parse_settings(const std::string& config_json) {
  auto config = Poco::JSON::Parser().parse(config_json).extract<Poco::JSON::Object::Ptr>();
  return {config->optValue<std::string>("header", "X-API-Key"),
          config->optValue<std::string>("key_env", "EXAMPLE_API_KEY")};
}

// Printable ASCII only: a key with CR or LF would let its owner add headers of their own.
bool is_header_value(const std::string& text) {
  if (text.empty() || text.size() > 4096) return false;
  for (unsigned char c : text)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

class ApiKeyHeader : public mcpauth::sdk::AuthPlugin {
 public:
  explicit ApiKeyHeader(const mcpauth::sdk::InstanceArgs& args)
      : host_(args.host), settings_(parse_settings(args.config_json)) {
    // Read once: getenv is not safe against a concurrent setenv, and instances serve many threads.
    if (const char* key = std::getenv(settings_.key_env.c_str()); key != nullptr && is_header_value(key))
      env_key_ = key;
  }

  void get_credentials(const std::string& user, mcpauth::sdk::Headers& headers) override {
    std::optional<std::string> key = stored_key(user);
    if (!key && !user.empty()) key = stored_key("");
    if (!key) key = env_key_;
    if (!key) throw Error(MCPAUTH_ERR_AUTH_REQUIRED, "no API key: store one or set " + settings_.key_env);
    headers.emplace_back(settings_.header, *key);
  }

  // A JSON object without secrets. `mcpauth serve` reads auth_type, authenticated and source
  // ("user" or "server": whose stored key is used).
  std::string status(const std::string& user) override {
    const std::string json = R"({"auth_type":"api_key","auth_required":true,"authenticated":)";
    if (const char* source = key_source(user)) return json + R"(true,"source":")" + source + "\"}";
    return json + "false}";
  }

  void store_token(const std::string& user, const std::string& token, const std::string&) override {
    if (!is_header_value(token))
      throw Error(MCPAUTH_ERR_INVALID_ARGUMENT, "an API key must be 1-4096 printable ASCII characters without spaces");
    host_.storage_put(storage_key(user), std::span(reinterpret_cast<const uint8_t*>(token.data()), token.size()));
  }

  void logout(const std::string& user) override {
    if (!host_.storage_delete(storage_key(user))) throw Error(MCPAUTH_ERR_NOT_FOUND, "no stored API key");
  }

 private:
  // "" is the server-level key. The host prefixes every key with the server's name.
  static std::string storage_key(const std::string& user) { return "api_key/" + user; }

  const char* key_source(const std::string& user) const {
    if (!user.empty() && stored_key(user)) return "user";
    if (stored_key("")) return "server";
    return env_key_ ? "environment" : nullptr;
  }

  std::optional<std::string> stored_key(const std::string& user) const {
    std::optional<mcpauth::sdk::Bytes> value = host_.storage_get(storage_key(user));
    if (!value) return std::nullopt;
    return std::string(value->begin(), value->end());
  }

  const mcpauth::sdk::Host host_;
  const Settings settings_;
  std::optional<std::string> env_key_;
};

struct ApiKeyHeaderLibrary {
  static constexpr const char* id = "api_key_header";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Sends an API key (stored, or from the environment) in one header";
  // `mcpauth config schema` renders description and default: give every property both.
  static constexpr const char* config_schema = R"({
    "type": "object",
    "description": "Sends the user's stored key, else the server-level stored key, else the key in key_env.",
    "additionalProperties": false,
    "properties": {
      "header": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,64}$", "default": "X-API-Key",
                 "description": "Request header that carries the key."},
      "key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "default": "EXAMPLE_API_KEY",
                  "description": "Environment variable holding the key used when none is stored."}
    }
  })";
  using Auth = ApiKeyHeader;
  using Storage = void;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(ApiKeyHeaderLibrary)
