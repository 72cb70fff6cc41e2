#include "token_record.h"

#include "plugin_support/json_writing.h"
#include "plugin_support/unix_time.h"

namespace mcpauth::manual_jwt {

using plugin_support::get_string;
using plugin_support::JsonObject;
using plugin_support::parse_object;
using plugin_support::to_text;
using plugin_support::unix_seconds;

std::string TokenRecord::to_json() const {
  JsonObject json = new Poco::JSON::Object;
  json->set("token", token);
  json->set("stored_at", stored_at);
  if (claims.exp) json->set("exp", *claims.exp);
  if (claims.issuer) json->set("iss", *claims.issuer);
  if (claims.subject) json->set("sub", *claims.subject);
  json->set("metadata", metadata ? metadata : JsonObject(new Poco::JSON::Object));
  return to_text(json);
}

std::optional<TokenRecord> TokenRecord::from_json(std::string_view text) {
  JsonObject json = parse_object(text);
  std::optional<std::string> token = get_string(json, "token");
  if (!token || token->empty() || !json->has("stored_at")) return std::nullopt;
  std::optional<int64_t> stored_at = unix_seconds(json->get("stored_at"));
  if (!stored_at) return std::nullopt;
  TokenRecord record;
  record.token = std::move(*token);
  record.stored_at = *stored_at;
  if (json->has("exp")) {
    record.claims.exp = unix_seconds(json->get("exp"));
    if (!record.claims.exp) return std::nullopt;
  }
  record.claims.issuer = get_string(json, "iss");
  record.claims.subject = get_string(json, "sub");
  record.metadata = json->getObject("metadata");
  if (!record.metadata) record.metadata = new Poco::JSON::Object;
  return record;
}

}  // namespace mcpauth::manual_jwt
