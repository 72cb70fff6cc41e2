// Masks credentials in free text before it reaches a log or an error message.
#pragma once

#include <string>
#include <string_view>

namespace mcpauth::core {

// Replaces with "[REDACTED]": the value of Authorization-style headers (Bearer/Basic/...), JWTs,
// and values of secret-named parameters in query strings, forms and JSON
// (access_token, refresh_token, id_token, code, code_verifier, client_secret, password, ...).
std::string redact(std::string_view text);

}  // namespace mcpauth::core
