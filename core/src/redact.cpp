#include "mcpauth/core/redact.h"

#include <regex>

namespace mcpauth::core {
namespace {

constexpr const char* kMask = "[REDACTED]";

// Names whose values are secrets wherever they appear as key=value, "key": "value" or key: value.
constexpr const char* kSecretNames =
    "access_token|refresh_token|id_token|token|code|code_verifier|client_secret|password|secret|"
    "assertion|client_assertion|jwt_token|auth_token|api_key|private_key";

const std::regex& auth_scheme() {
  static const std::regex re(R"((\b(?:Bearer|Basic|DPoP|Token)\s+)[A-Za-z0-9._~+/=-]+)", std::regex::icase);
  return re;
}
const std::regex& jwt() {
  static const std::regex re(R"(\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)");
  return re;
}
const std::regex& form_pair() {
  static const std::regex re(std::string(R"re((\b(?:)re") + kSecretNames + R"re()=)[^&\s"']+)re", std::regex::icase);
  return re;
}
const std::regex& json_pair() {
  static const std::regex re(std::string(R"re(("(?:)re") + kSecretNames + R"re()"\s*:\s*")(?:[^"\\]|\\.)*")re",
                             std::regex::icase);
  return re;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out(text);
  out = std::regex_replace(out, jwt(), kMask);
  out = std::regex_replace(out, auth_scheme(), std::string("$1") + kMask);
  out = std::regex_replace(out, form_pair(), std::string("$1") + kMask);
  out = std::regex_replace(out, json_pair(), std::string("$1") + kMask + "\"");
  return out;
}

}  // namespace mcpauth::core
