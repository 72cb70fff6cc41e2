#include "oauth21_plugin.h"

#include "plugin_support/json_writing.h"
#include "plugin_support/scopes.h"

#include "supplied_token.h"
#include "www_authenticate.h"

#include <Poco/JSON/Object.h>

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

// Step-up attempts older than this no longer count against the limit.
constexpr int64_t kStepUpWindowMs = 10 * 60 * 1000;

bool is_insufficient_scope(const std::string& www_authenticate) {
  std::optional<Challenge> bearer = find_bearer(parse_www_authenticate(www_authenticate));
  if (!bearer) return false;
  auto it = bearer->params.find("error");
  return it != bearer->params.end() && it->second == "insufficient_scope";
}

}  // namespace

OAuth21Plugin::OAuth21Plugin(const sdk::InstanceArgs& args)
    : context_(args), tokens_(context_), authorizer_(context_, tokens_) {}

void OAuth21Plugin::get_credentials(const std::string& user, sdk::Headers& headers) {
  TokenSet tokens = tokens_.current(user);
  headers.emplace_back("Authorization", "Bearer " + tokens.access_token);
}

int32_t OAuth21Plugin::on_challenge(const std::string& user, int http_status, const std::string& www_authenticate) {
  const int64_t received_at = context_.host.now_unix_ms();
  ChallengeHints hints = read_challenge(www_authenticate);
  if (!hints.resource_metadata_url.empty()) context_.discovery(hints);  // re-discovers if it moved

  if (http_status == 403) {
    if (!is_insufficient_scope(www_authenticate)) return MCPAUTH_CHALLENGE_FAIL;
    return step_up(user, hints.scopes);
  }
  if (http_status != 401) return MCPAUTH_CHALLENGE_FAIL;
  try {
    // The token was refused: refresh, unless another thread did since this challenge arrived.
    tokens_.refresh(user, received_at - 1);
    return MCPAUTH_CHALLENGE_RETRY;
  } catch (const sdk::Error& e) {
    if (e.status() == MCPAUTH_ERR_AUTH_REQUIRED) return MCPAUTH_CHALLENGE_AUTHORIZE;
    throw;
  }
}

int32_t OAuth21Plugin::step_up(const std::string& user, const std::vector<std::string>& scopes) {
  std::lock_guard lock(step_up_mutex_);
  StepUp& record = step_ups_[user];
  const int64_t now = context_.host.now_unix_ms();
  if (record.scopes != scopes || now - record.last_ms > kStepUpWindowMs) record = StepUp{scopes, 0, 0};
  if (record.count >= context_.settings.max_step_up)
    throw sdk::Error(MCPAUTH_ERR_DENIED, "the server still answers insufficient_scope (wants '" + join_scopes(scopes) +
                                             "') after " + std::to_string(record.count) + " re-authorizations");
  ++record.count;
  record.last_ms = now;
  return MCPAUTH_CHALLENGE_AUTHORIZE;
}

std::vector<std::string> OAuth21Plugin::step_up_scopes(const std::string& user) {
  std::lock_guard lock(step_up_mutex_);
  auto it = step_ups_.find(user);
  return it == step_ups_.end() ? std::vector<std::string>{} : it->second.scopes;
}

sdk::Authorization OAuth21Plugin::begin_authorization(const sdk::BeginAuthorization& args) {
  return authorizer_.begin(args, step_up_scopes(args.user));
}

void OAuth21Plugin::complete_authorization(const std::string& user, const std::string& pending,
                                           const std::string& callback_query) {
  authorizer_.complete(user, pending, callback_query);
}

void OAuth21Plugin::refresh(const std::string& user) { tokens_.refresh(user, context_.host.now_unix_ms()); }

void OAuth21Plugin::logout(const std::string& user) {
  tokens_.logout(user);
  std::lock_guard lock(step_up_mutex_);
  step_ups_.erase(user);
}

void OAuth21Plugin::store_token(const std::string& user, const std::string& token, const std::string& metadata_json) {
  tokens_.adopt(user, read_supplied_token(token, metadata_json, context_.host.now_unix_ms()));
  context_.host.log(MCPAUTH_LOG_INFO,
                    "stored an access token supplied for " + (user.empty() ? std::string("the server") : user));
}

std::string OAuth21Plugin::status(const std::string& user) {
  JsonObject json = new Poco::JSON::Object;
  json->set("plugin", "oauth21");
  json->set("grant",
            context_.settings.grant == Grant::client_credentials ? "client_credentials" : "authorization_code");
  std::optional<TokenSet> tokens = tokens_.stored(user);
  json->set("authenticated", tokens.has_value());
  if (tokens) {
    const int64_t now = context_.host.now_unix_ms();
    json->set("source", user.empty() ? "server" : "user");
    json->set("token_type", tokens->token_type);
    if (tokens->expires_at_ms != 0) {
      json->set("expires_at", tokens->expires_at_ms / 1000);
      json->set("expires_in", (tokens->expires_at_ms - now) / 1000);
    } else {
      json->set("expires_at", Poco::Dynamic::Var());
    }
    json->set("is_expired", tokens->expires_within(now, 0));
    json->set("scopes", to_array(tokens->scopes));
    json->set("has_refresh_token", !tokens->refresh_token.empty());
    json->set("issuer", tokens->issuer);
    json->set("obtained_at", tokens->obtained_at_ms / 1000);
  }
  return to_text(json);
}

}  // namespace mcpauth::oauth21
