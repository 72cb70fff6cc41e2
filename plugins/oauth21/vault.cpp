#include "vault.h"

#include "plugin_support/json_reading.h"
#include "plugin_support/json_writing.h"

#include "pkce.h"

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

std::string client_key(const std::string& issuer) {
  return "client/" + base64url_nopad(std::span(reinterpret_cast<const uint8_t*>(issuer.data()), issuer.size()));
}

}  // namespace

std::string ClientIdentity::to_json() const {
  JsonObject json = new Poco::JSON::Object;
  json->set("client_id", client_id);
  json->set("client_secret", client_secret);
  json->set("auth_method", auth_method);
  json->set("issuer", issuer);
  json->set("redirect_uri", redirect_uri);
  json->set("source", source);
  json->set("registered_at_ms", registered_at_ms);
  return to_text(json);
}

std::optional<ClientIdentity> ClientIdentity::from_json(const std::string& text) {
  JsonObject json = parse_object(text);
  std::optional<std::string> client_id = get_string(json, "client_id");
  if (!client_id || client_id->empty()) return std::nullopt;
  ClientIdentity client;
  client.client_id = *client_id;
  client.client_secret = get_string(json, "client_secret").value_or("");
  client.auth_method = get_string(json, "auth_method").value_or("none");
  client.issuer = get_string(json, "issuer").value_or("");
  client.redirect_uri = get_string(json, "redirect_uri").value_or("");
  client.source = get_string(json, "source").value_or("registered");
  client.registered_at_ms = get_int(json, "registered_at_ms").value_or(0);
  return client;
}

std::string Vault::tokens_key(const std::string& user) {
  return user.empty() ? "tokens/default" : "tokens/user:" + user;
}

std::optional<std::string> Vault::get(const std::string& key) const {
  std::optional<sdk::Bytes> value = host_.storage_get(key);
  if (!value) return std::nullopt;
  return std::string(value->begin(), value->end());
}

void Vault::put(const std::string& key, const std::string& value) const {
  host_.storage_put(key, std::span(reinterpret_cast<const uint8_t*>(value.data()), value.size()));
}

std::optional<TokenSet> Vault::load_tokens(const std::string& user) const {
  std::optional<std::string> text = get(tokens_key(user));
  if (!text) return std::nullopt;
  std::optional<TokenSet> tokens = TokenSet::from_json(*text);
  // A damaged entry is reported, never silently replaced: the user decides (logout deletes it).
  if (!tokens)
    throw sdk::Error(MCPAUTH_ERR_IO, "the stored tokens (" + tokens_key(user) +
                                         ") are not readable; run logout to remove them, then sign in again");
  return tokens;
}

void Vault::save_tokens(const std::string& user, const TokenSet& tokens) const {
  put(tokens_key(user), tokens.to_json());
}

void Vault::delete_tokens(const std::string& user) const { host_.storage_delete(tokens_key(user)); }

std::optional<sdk::Host::StorageLock> Vault::lock_tokens(const std::string& user, uint32_t timeout_ms) const {
  try {
    return host_.storage_lock("lock/" + tokens_key(user), timeout_ms);
  } catch (const sdk::Error& e) {
    if (e.status() == MCPAUTH_ERR_UNSUPPORTED) return std::nullopt;
    throw;
  }
}

std::optional<ClientIdentity> Vault::load_client(const std::string& issuer) const {
  std::optional<std::string> text = get(client_key(issuer));
  if (!text) return std::nullopt;
  std::optional<ClientIdentity> client = ClientIdentity::from_json(*text);
  if (!client || client->issuer != issuer) return std::nullopt;  // unreadable: register again
  return client;
}

void Vault::save_client(const ClientIdentity& client) const { put(client_key(client.issuer), client.to_json()); }

void Vault::delete_client(const std::string& issuer) const { host_.storage_delete(client_key(issuer)); }

std::optional<Discovery> Vault::load_discovery() const {
  std::optional<std::string> text = get("discovery");
  return text ? Discovery::from_json(*text) : std::nullopt;
}

void Vault::save_discovery(const Discovery& discovery) const { put("discovery", discovery.to_json()); }

void Vault::delete_discovery() const { host_.storage_delete("discovery"); }

}  // namespace mcpauth::oauth21
