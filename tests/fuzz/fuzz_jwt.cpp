// JWTs as an admin or a user uploads them, or as a configuration sets them
// (plugins/manual_jwt/token_form.cpp, jwt.cpp): the only failure is sdk::Error(INVALID_ARGUMENT),
// and an accepted exp is within the documented range.
#include "plugin_support/unix_time.h"
#include "token_form.h"

#include <mcpauth/plugin.hpp>

#include <cstdlib>

using namespace mcpauth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  for (manual_jwt::AuthType type : {manual_jwt::AuthType::jwt, manual_jwt::AuthType::bearer}) {
    try {
      manual_jwt::TokenClaims claims = manual_jwt::check_token_form(type, token);
      if (claims.exp && (*claims.exp < 0 || *claims.exp > plugin_support::kMaxUnixSeconds)) std::abort();
    } catch (const sdk::Error& e) {
      if (e.status() != MCPAUTH_ERR_INVALID_ARGUMENT) std::abort();
    }
  }
  return 0;
}
