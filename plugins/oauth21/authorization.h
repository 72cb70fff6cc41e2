// The authorization code flow with PKCE: building the authorization request (begin) and
// checking the callback and exchanging the code (complete). What begin must remember travels in
// the opaque, secret `pending` value that the host hands back to complete.
#pragma once

#include "server_context.h"
#include "token_manager.h"

#include <mcpauth/plugin.hpp>

#include <string>
#include <vector>

namespace mcpauth::oauth21 {

class Authorizer {
 public:
  Authorizer(ServerContext& context, TokenManager& tokens) : context_(context), tokens_(tokens) {}

  // step_up_scopes: scopes a 403 insufficient_scope challenge asked for (added to those held).
  sdk::Authorization begin(const sdk::BeginAuthorization& args, const std::vector<std::string>& step_up_scopes);

  // Checks state and iss before anything the callback carries is acted on, then exchanges the
  // code. Returns the tokens, already stored.
  TokenSet complete(const std::string& user, const std::string& pending, const std::string& callback_query);

 private:
  std::vector<std::string> choose_scopes(const Discovery& discovery, const sdk::BeginAuthorization& args,
                                         const std::vector<std::string>& step_up_scopes);
  ServerContext& context_;
  TokenManager& tokens_;
};

}  // namespace mcpauth::oauth21
