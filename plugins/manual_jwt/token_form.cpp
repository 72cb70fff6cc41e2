#include "token_form.h"

#include <mcpauth/plugin.hpp>

namespace mcpauth::manual_jwt {

// Messages put punctuation after the noun: the host's redaction (log lines, HTTP errors) masks
// the word that follows "token".
TokenClaims check_token_form(AuthType type, std::string_view token) {
  const std::string noun = token_noun(type);
  if (token.empty()) throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "empty " + noun + ": there is nothing to store");
  if (token.size() > kMaxTokenBytes)
    throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "too long a " + noun + ": " + std::to_string(token.size()) +
                                                       " bytes, more than the " + std::to_string(kMaxTokenBytes) +
                                                       " allowed");
  if (type == AuthType::jwt) return read_jwt(token);
  // A header value cannot carry control characters, and a space would split the credential.
  for (std::size_t i = 0; i < token.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(token[i]);
    if (c <= 0x20 || c >= 0x7f)
      throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, "not a usable " + noun + ": character " + std::to_string(i + 1) +
                                                         " is a space, a control character or not ASCII (only "
                                                         "printable ASCII without spaces is allowed)");
  }
  return {};
}

const char* token_noun(AuthType type) {
  switch (type) {
    case AuthType::jwt:
      return "JWT";
    case AuthType::api_key:
      return "API key";
    case AuthType::bearer:
      break;
  }
  return "token";
}

}  // namespace mcpauth::manual_jwt
