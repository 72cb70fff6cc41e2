#include "token_store.h"

namespace mcpauth::manual_jwt {

std::string TokenStore::key(const std::string& user) { return user.empty() ? "token/server" : "token/user:" + user; }

std::optional<TokenRecord> TokenStore::load(const std::string& user) const {
  std::optional<sdk::Bytes> value = host_.storage_get(key(user));
  if (!value) return std::nullopt;
  std::optional<TokenRecord> record =
      TokenRecord::from_json(std::string_view(reinterpret_cast<const char*>(value->data()), value->size()));
  // A damaged entry is reported, never silently replaced or skipped: logout deletes it.
  if (!record)
    throw sdk::Error(MCPAUTH_ERR_IO,
                     "the stored entry " + key(user) +
                         " is not a readable token record; delete it (logout) and store the token again");
  return record;
}

void TokenStore::save(const std::string& user, const TokenRecord& record) const {
  std::string json = record.to_json();
  host_.storage_put(key(user), std::span(reinterpret_cast<const uint8_t*>(json.data()), json.size()));
}

bool TokenStore::remove(const std::string& user) const { return host_.storage_delete(key(user)); }

}  // namespace mcpauth::manual_jwt
