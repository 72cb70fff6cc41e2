#include "supplied_token.h"

#include "plugin_support/token_metadata.h"

#include <mcpauth/plugin.hpp>

namespace mcpauth::oauth21 {
namespace {

[[noreturn]] void refuse(const std::string& reason) { throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, reason); }

bool is_b64token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '+' || c == '/';
}

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=",
// what an Authorization: Bearer header can carry. Messages put punctuation after "token": the
// host's redaction (log lines, HTTP errors) masks the word that follows it.
void check_b64token(std::string_view token) {
  if (token.empty()) refuse("empty access token: there is nothing to store");
  if (token.size() > kMaxSuppliedTokenBytes)
    refuse("too long an access token: " + std::to_string(token.size()) + " bytes, more than the " +
           std::to_string(kMaxSuppliedTokenBytes) + " allowed");
  const std::size_t last = token.find_last_not_of('=');  // '=' only as padding at the end
  if (last == std::string_view::npos) refuse("not a Bearer access token: it is all '=' padding");
  for (std::size_t i = 0; i <= last; ++i)
    if (!is_b64token_char(token[i]))
      refuse("not a Bearer access token: character " + std::to_string(i + 1) +
             " is not allowed (RFC 6750: letters, digits, '-', '.', '_', '~', '+', '/', and '=' only at the end)");
}

}  // namespace

TokenSet read_supplied_token(std::string_view token, std::string_view metadata_json, int64_t now_ms) {
  check_b64token(token);
  plugin_support::TokenMetadata metadata = plugin_support::parse_metadata(metadata_json);
  plugin_support::require_unexpired(metadata, now_ms / 1000);
  TokenSet tokens;
  tokens.access_token = std::string(token);
  tokens.token_type = "Bearer";
  tokens.expires_at_ms = metadata.expires_at ? *metadata.expires_at * 1000 : 0;
  tokens.obtained_at_ms = now_ms;
  tokens.scopes = std::move(metadata.scopes);
  return tokens;
}

}  // namespace mcpauth::oauth21
