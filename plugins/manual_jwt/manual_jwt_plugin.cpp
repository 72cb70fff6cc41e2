#include "manual_jwt_plugin.h"

#include "plugin_support/json_writing.h"
#include "plugin_support/token_metadata.h"
#include "plugin_support/unix_time.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

namespace mcpauth::manual_jwt {

using namespace plugin_support;

namespace {

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// JSON null when absent.
template <class T>
Poco::Dynamic::Var or_null(const std::optional<T>& value) {
  return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

}  // namespace

ManualJwtPlugin::ManualJwtPlugin(const sdk::InstanceArgs& args)
    : server_(args.server_name), host_(args.host), settings_(parse_settings(args.config_json)), store_(args.host) {
  if (settings_.auth_token) {
    try {
      config_claims_ = check_token_form(settings_.auth_type, *settings_.auth_token);
    } catch (const sdk::Error& e) {
      throw sdk::Error(MCPAUTH_ERR_CONFIG, std::string("auth_token in the configuration cannot be used: ") + e.what());
    }
  }
}

const char* ManualJwtPlugin::source_name(Source source) {
  switch (source) {
    case Source::user:
      return "user";
    case Source::server:
      return "server";
    case Source::config:
      break;
  }
  return "config";
}

// Log lines end with the noun: the host's log redaction masks the word after "token".
std::string ManualJwtPlugin::holder(const std::string& user) const {
  return user.empty() ? "the server" : "user " + quoted(user);
}

std::string ManualJwtPlugin::owned(const std::string& user) const {
  return std::string(user.empty() ? "has a server-level " : "has their own ") + token_noun(settings_.auth_type);
}

int64_t ManualJwtPlugin::now_s() const { return host_.now_unix_ms() / 1000; }

std::optional<ManualJwtPlugin::Credential> ManualJwtPlugin::find_credential(const std::string& user) const {
  if (!user.empty())
    if (auto record = store_.load(user))
      return Credential{Source::user, record->token, record->claims, record->stored_at};
  if (auto record = store_.load(""))
    return Credential{Source::server, record->token, record->claims, record->stored_at};
  if (settings_.auth_token) return Credential{Source::config, *settings_.auth_token, config_claims_, std::nullopt};
  return std::nullopt;
}

std::string ManualJwtPlugin::describe(const Credential& credential, const std::string& user) const {
  const std::string noun = token_noun(settings_.auth_type);
  switch (credential.source) {
    case Source::user:
      return "the " + noun + " stored for user " + quoted(user) + " of server " + quoted(server_);
    case Source::server:
      return "the " + noun + " stored for server " + quoted(server_);
    case Source::config:
      break;
  }
  return "the " + noun + " in the configuration (auth_token) of server " + quoted(server_);
}

void ManualJwtPlugin::get_credentials(const std::string& user, sdk::Headers& headers) {
  std::optional<Credential> credential = find_credential(user);
  if (!credential)
    throw sdk::Error(MCPAUTH_ERR_AUTH_REQUIRED, "no token for server " + quoted(server_) +
                                                    ": an admin must upload one (POST /admin/mcp/" + server_ +
                                                    "/jwt) or the user must add theirs");
  // An expired token is refused here rather than sent and answered with a 401.
  if (credential->claims.exp && *credential->claims.exp <= now_s())
    throw sdk::Error(
        MCPAUTH_ERR_AUTH_REQUIRED,
        describe(*credential, user) + " expired at " + iso_time(*credential->claims.exp) + ": " +
            (credential->source == Source::config ? "update auth_token in the configuration" : "store a new one"));
  const bool bearer = settings_.auth_type != AuthType::api_key;
  headers.emplace_back(settings_.header_name, bearer ? "Bearer " + credential->token : credential->token);
}

void ManualJwtPlugin::store_token(const std::string& user, const std::string& token, const std::string& metadata_json) {
  TokenRecord record;
  record.claims = check_token_form(settings_.auth_type, token);
  TokenMetadata metadata = parse_metadata(metadata_json);
  record.stored_at = now_s();
  const std::string noun = token_noun(settings_.auth_type);
  if (record.claims.exp && *record.claims.exp <= record.stored_at)
    throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "the " + noun + " expired at " + iso_time(*record.claims.exp));
  require_unexpired(metadata, record.stored_at);
  if (metadata.expires_at)  // the earlier expiry counts
    record.claims.exp = record.claims.exp ? std::min(*record.claims.exp, *metadata.expires_at) : *metadata.expires_at;
  record.token = token;
  record.metadata = metadata.object;
  store_.save(user, record);
  host_.log(MCPAUTH_LOG_INFO, holder(user) + " now " + owned(user));
}

void ManualJwtPlugin::logout(const std::string& user) {
  if (!store_.remove(user))
    throw sdk::Error(MCPAUTH_ERR_NOT_FOUND,
                     user.empty() ? "no token is stored for server " + quoted(server_)
                                  : "no token is stored for user " + quoted(user) + " of server " + quoted(server_));
  host_.log(MCPAUTH_LOG_INFO, holder(user) + " no longer " + owned(user));
}

std::string ManualJwtPlugin::status(const std::string& user) {
  const std::optional<Credential> credential = find_credential(user);
  static const TokenClaims kNoClaims;
  const TokenClaims& claims = credential ? credential->claims : kNoClaims;
  const int64_t now = now_s();
  const bool expired = claims.exp && *claims.exp <= now;
  JsonObject json = new Poco::JSON::Object;
  json->set("plugin", "manual_jwt");
  json->set("auth_type", auth_type_name(settings_.auth_type));
  json->set("authenticated", credential && !expired);
  json->set("source", credential ? Poco::Dynamic::Var(source_name(credential->source)) : Poco::Dynamic::Var());
  json->set("exp", or_null(claims.exp));
  json->set("expires_in",
            claims.exp ? Poco::Dynamic::Var(std::max<int64_t>(*claims.exp - now, 0)) : Poco::Dynamic::Var());
  json->set("is_expired", expired);
  json->set("issuer", or_null(claims.issuer));
  json->set("subject", or_null(claims.subject));
  json->set("stored_at", credential ? or_null(credential->stored_at) : Poco::Dynamic::Var());
  return to_text(json);
}

}  // namespace mcpauth::manual_jwt
