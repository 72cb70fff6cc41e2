// Whether a token has the form its auth type needs, before it is stored or sent.
#pragma once

#include "jwt.h"
#include "settings.h"

#include <cstddef>
#include <string_view>

namespace mcpauth::manual_jwt {

inline constexpr std::size_t kMaxTokenBytes = 16 * 1024;

// jwt: a JWT (see read_jwt); bearer and api_key: printable ASCII without spaces. At most
// kMaxTokenBytes. Returns what the token says about itself (nothing for opaque tokens). Throws
// sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT) with a message that never quotes the token.
TokenClaims check_token_form(AuthType type, std::string_view token);

// "JWT", "token" or "API key": how messages name a token of this type.
const char* token_noun(AuthType type);

}  // namespace mcpauth::manual_jwt
