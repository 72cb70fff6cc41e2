#include "jwt.h"

#include "crypto/base64url.h"
#include "plugin_support/json_reading.h"
#include "plugin_support/unix_time.h"

#include <mcpauth/plugin.hpp>

#include <Poco/String.h>

#include <algorithm>
#include <array>

namespace mcpauth::manual_jwt {

using namespace plugin_support;

namespace {

[[noreturn]] void refuse(const std::string& reason) { throw sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT, reason); }

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Decodes one unpadded base64url segment; `name` is its role, for messages.
std::string decode_segment(std::string_view segment, const std::string& name) {
  if (segment.empty()) refuse("the JWT's " + name + " segment is empty");
  for (std::size_t i = 0; i < segment.size(); ++i)
    if (!is_base64url_char(segment[i]))
      refuse("the JWT's " + name + " segment is not base64url without padding (character " + std::to_string(i + 1) +
             " of the segment is not allowed)");
  if (segment.size() % 4 == 1) refuse("the JWT's " + name + " segment has a length no base64url text can have");
  // The shared decoder takes the padded canonical form.
  std::string padded(segment);
  padded.append((4 - padded.size() % 4) % 4, '=');
  auto decoded = crypto::base64url_decode(padded);
  if (!decoded) refuse("the JWT's " + name + " segment is not canonical base64url (stray bits at its end)");
  return std::string(decoded->begin(), decoded->end());
}

JsonObject decode_json_segment(std::string_view segment, const std::string& name) {
  JsonObject object = parse_object(decode_segment(segment, name));
  if (!object) refuse("the JWT's " + name + " segment is not a JSON object");
  return object;
}

}  // namespace

TokenClaims read_jwt(std::string_view token) {
  std::size_t dots = std::count(token.begin(), token.end(), '.');
  if (dots != 2) refuse("a JWT has 3 base64url segments separated by '.', this one has " + std::to_string(dots + 1));
  std::size_t first = token.find('.'), second = token.find('.', first + 1);
  std::array<std::string_view, 3> segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                                           token.substr(second + 1)};

  JsonObject header = decode_json_segment(segments[0], "header");
  JsonObject claims = decode_json_segment(segments[1], "claims");
  decode_segment(segments[2], "signature");

  std::optional<std::string> alg = get_string(header, "alg");
  if (!alg || alg->empty()) refuse("the JWT's header has no 'alg' (a non-empty string)");
  if (Poco::icompare(*alg, "none") == 0) refuse("the JWT is unsigned (alg 'none'), which is not accepted");

  TokenClaims result;
  if (claims->has("exp")) {
    result.exp = unix_seconds(claims->get("exp"));
    if (!result.exp)
      refuse("the JWT's claim 'exp' must be a number of Unix seconds from 0 to " + std::to_string(kMaxUnixSeconds));
  }
  result.issuer = get_string(claims, "iss");
  result.subject = get_string(claims, "sub");
  return result;
}

}  // namespace mcpauth::manual_jwt
