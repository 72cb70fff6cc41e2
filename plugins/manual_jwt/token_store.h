// Stored tokens in the server's storage (the host puts every key under "<server>/"):
//   token/server        the server-level token (user "")
//   token/user:<user>   a user's own token
// Every call reads or writes the store, so a token stored by another process is used at once.
#pragma once

#include "token_record.h"

#include <mcpauth/plugin.hpp>

#include <optional>
#include <string>

namespace mcpauth::manual_jwt {

class TokenStore {
 public:
  explicit TokenStore(const sdk::Host& host) : host_(host) {}

  static std::string key(const std::string& user);

  // Throws sdk::Error(MCPAUTH_ERR_IO) when an entry exists but is not a readable record.
  std::optional<TokenRecord> load(const std::string& user) const;
  void save(const std::string& user, const TokenRecord& record) const;
  bool remove(const std::string& user) const;  // false when nothing was stored

 private:
  sdk::Host host_;
};

}  // namespace mcpauth::manual_jwt
