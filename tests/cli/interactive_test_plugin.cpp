// A test auth plugin for the host's loopback machinery (mcpauth login). It plays its own
// authorization server: the URL begin_authorization returns is the redirect URI itself, with a
// code and the state, so a "browser" that just fetches the URL delivers the callback.
//
// Config (all optional): "code": the code the URL carries ("good-code"; anything else is refused
// by complete_authorization), "state": a fixed state (default: random, for paste tests that must
// know it in advance), "grant": "client_credentials" (refresh then gets tokens without a
// browser), and the host's callback_port, callback_host, callback_timeout_s.
#include <mcpauth/plugin.hpp>

#include <string>

namespace {

using mcpauth::sdk::Error;

constexpr const char* kGoodCode = "good-code";
// Every access token starts with this, so tests can check it never reaches the output.
constexpr const char* kTokenPrefix = "TEST-ACCESS-TOKEN-";

// The value of a string member of the host's condensed config JSON ("key":"value"), or fallback.
// Enough for this plugin's own flat config; not a JSON parser.
std::string config_text(const std::string& json, const std::string& key, const std::string& fallback) {
  const std::string marker = "\"" + key + "\":\"";
  size_t at = json.find(marker);
  if (at == std::string::npos) return fallback;
  at += marker.size();
  return json.substr(at, json.find('"', at) - at);
}

// The value of one parameter of a query string (the values used here need no decoding).
std::string query_value(const std::string& query, const std::string& name) {
  size_t at = ("&" + query).find("&" + name + "=");
  if (at == std::string::npos) return "";
  at += name.size() + 1;
  return query.substr(at, query.find('&', at) - at);
}

std::string hex(const mcpauth::sdk::Bytes& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) out += {digits[b >> 4], digits[b & 15]};
  return out;
}

class InteractiveTestAuth : public mcpauth::sdk::AuthPlugin {
 public:
  explicit InteractiveTestAuth(const mcpauth::sdk::InstanceArgs& args)
      : host_(args.host),
        code_(config_text(args.config_json, "code", kGoodCode)),
        fixed_state_(config_text(args.config_json, "state", "")),
        client_credentials_(config_text(args.config_json, "grant", "") == "client_credentials") {}

  mcpauth::sdk::Authorization begin_authorization(const mcpauth::sdk::BeginAuthorization& args) override {
    if (args.flow != MCPAUTH_FLOW_LOOPBACK) throw Error(MCPAUTH_ERR_UNSUPPORTED, "only the loopback flow");
    const std::string state = fixed_state_.empty() ? hex(host_.random_bytes(16)) : fixed_state_;
    return {args.redirect_uri + "?code=" + code_ + "&state=" + state, state, state};
  }

  void complete_authorization(const std::string& user, const std::string& pending,
                              const std::string& callback_query) override {
    if (query_value(callback_query, "state") != pending) throw Error(MCPAUTH_ERR_DENIED, "the state does not match");
    if (query_value(callback_query, "code") != kGoodCode)
      throw Error(MCPAUTH_ERR_DENIED, "the authorization code was refused");
    store_tokens(user);
  }

  void refresh(const std::string& user) override {
    if (!client_credentials_ && !tokens(user)) throw Error(MCPAUTH_ERR_AUTH_REQUIRED, "sign in first");
    store_tokens(user);
  }

  void get_credentials(const std::string& user, mcpauth::sdk::Headers& headers) override {
    std::optional<std::string> stored = tokens(user);
    if (!stored) throw Error(MCPAUTH_ERR_AUTH_REQUIRED, "sign in first");
    headers.emplace_back("Authorization", "Bearer " + stored->substr(0, stored->find(' ')));
  }

  void logout(const std::string& user) override { host_.storage_delete(token_key(user)); }

  std::string status(const std::string& user) override {
    std::optional<std::string> stored = tokens(user);
    if (!stored) return R"({"authenticated":false})";
    return R"({"authenticated":true,"expires_at":)" + stored->substr(stored->find(' ') + 1) +
           R"(,"scopes":["read","write"],"has_refresh_token":)" + (client_credentials_ ? "false" : "true") + "}";
  }

 private:
  static std::string token_key(const std::string& user) { return "tokens/" + (user.empty() ? "_default" : user); }

  // Stored as "<access token> <expires_at, Unix seconds>".
  std::optional<std::string> tokens(const std::string& user) const {
    std::optional<mcpauth::sdk::Bytes> stored = host_.storage_get(token_key(user));
    if (!stored) return std::nullopt;
    return std::string(stored->begin(), stored->end());
  }

  void store_tokens(const std::string& user) const {
    const std::string value =
        kTokenPrefix + hex(host_.random_bytes(16)) + " " + std::to_string(host_.now_unix_ms() / 1000 + 3600);
    host_.storage_put(token_key(user), mcpauth::sdk::Bytes(value.begin(), value.end()));
  }

  mcpauth::sdk::Host host_;
  std::string code_, fixed_state_;
  bool client_credentials_;
};

struct InteractiveTestLibrary {
  static constexpr const char* id = "interactive_test";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Test plugin: its sign-in URL is the host's own callback";
  static constexpr const char* config_schema = R"({
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "code": {"type": "string"},
      "state": {"type": "string"},
      "grant": {"enum": ["authorization_code", "client_credentials"]},
      "callback_port": {"type": "integer"},
      "callback_host": {"type": "string"},
      "callback_timeout_s": {"type": "integer"}
    }
  })";
  using Auth = InteractiveTestAuth;
  using Storage = void;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(InteractiveTestLibrary)
