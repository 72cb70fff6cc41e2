// A test auth plugin for the server-side (web) OAuth flow of `mcpauth serve`. It plays its own
// authorization server: begin_authorization returns an authorize URL on an unused host that
// carries the state, and complete_authorization accepts the code "good-code" with that state.
// Tokens are stored through the host per user; every access token starts with a marker, so tests
// can check that none reaches a log or an answer.
#include <mcpauth/plugin.hpp>

#include <string>

namespace {

using mcpauth::sdk::Error;

constexpr const char* kGoodCode = "good-code";
constexpr const char* kTokenPrefix = "WEB-TEST-ACCESS-TOKEN-";

std::string hex(const mcpauth::sdk::Bytes& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) out += {digits[b >> 4], digits[b & 15]};
  return out;
}

// The value of one parameter of a query string (the values used here need no decoding).
std::string query_value(const std::string& query, const std::string& name) {
  size_t at = ("&" + query).find("&" + name + "=");
  if (at == std::string::npos) return "";
  at += name.size() + 1;
  return query.substr(at, query.find('&', at) - at);
}

class WebFlowTestAuth : public mcpauth::sdk::AuthPlugin {
 public:
  explicit WebFlowTestAuth(const mcpauth::sdk::InstanceArgs& args) : host_(args.host) {}

  mcpauth::sdk::Authorization begin_authorization(const mcpauth::sdk::BeginAuthorization& args) override {
    if (args.flow != MCPAUTH_FLOW_WEB) throw Error(MCPAUTH_ERR_UNSUPPORTED, "only the web flow");
    const std::string state = hex(host_.random_bytes(16));
    // The pending value remembers the state and the redirect URI, as a real plugin's would.
    return {"https://as.invalid/authorize?state=" + state + "&redirect_uri=" + args.redirect_uri, state,
            state + " " + args.redirect_uri};
  }

  void complete_authorization(const std::string& user, const std::string& pending,
                              const std::string& callback_query) override {
    if (query_value(callback_query, "state") != pending.substr(0, pending.find(' ')))
      throw Error(MCPAUTH_ERR_DENIED, "the state does not match");
    if (!query_value(callback_query, "error").empty())
      throw Error(MCPAUTH_ERR_DENIED, "the authorization server refused the sign-in");
    if (query_value(callback_query, "code") != kGoodCode)
      throw Error(MCPAUTH_ERR_DENIED, "the token endpoint refused the authorization code");
    const std::string token = kTokenPrefix + hex(host_.random_bytes(16));
    host_.storage_put(key(user), mcpauth::sdk::Bytes(token.begin(), token.end()));
  }

  void get_credentials(const std::string& user, mcpauth::sdk::Headers& headers) override {
    std::optional<mcpauth::sdk::Bytes> token = host_.storage_get(key(user));
    if (!token) throw Error(MCPAUTH_ERR_AUTH_REQUIRED, "sign in first");
    headers.emplace_back("Authorization", "Bearer " + std::string(token->begin(), token->end()));
  }

  void logout(const std::string& user) override { host_.storage_delete(key(user)); }

  std::string status(const std::string& user) override {
    host_.count_event("status_read");  // shows that plugins' events reach GET /metrics
    if (!host_.storage_get(key(user))) return R"({"auth_type":"oauth","authenticated":false})";
    return R"({"auth_type":"oauth","authenticated":true,"token_type":"Bearer","expires_at":4102444800,)"
           R"("expires_in":3600,"is_expired":false,"scopes":["read","write"],"has_refresh_token":true})";
  }

 private:
  static std::string key(const std::string& user) { return "tokens/" + user; }

  mcpauth::sdk::Host host_;
};

struct WebFlowTestLibrary {
  static constexpr const char* id = "web_flow_test";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Test plugin: a web sign-in flow with its own pretend authorization server";
  static constexpr const char* config_schema = R"({"type": "object", "additionalProperties": false})";
  using Auth = WebFlowTestAuth;
  using Storage = void;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(WebFlowTestLibrary)
