#include "mcpauth/core/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace mcpauth::core {
namespace {

constexpr const char* kMask = "[REDACTED]";

// Names whose values are secrets wherever they appear as key=value, "key": "value" or key: value.
// Each contains a word of may_hold_secret's list: add a new one there too.
constexpr const char* kSecretNames =
    "access_token|refresh_token|id_token|token|code|code_verifier|client_secret|password|secret|"
    "assertion|client_assertion|jwt_token|auth_token|api_key|private_key";

// A scheme name followed by something that looks like a credential: at least 8 characters, with
// a digit, a symbol or an inner capital. Plain words after "token" or "basic" in a sentence ("the
// token endpoint") are left alone.
const std::regex& auth_scheme() {
  static const std::regex re(
      // Case-sensitive (the inner-capital test needs it), so the usual spellings are listed.
      R"((\b(?:Bearer|bearer|BEARER|Basic|basic|BASIC|DPoP|dpop|DPOP|Token|token|TOKEN)\s+))"
      R"((?=[A-Za-z0-9._~+/=-]{8})(?=[A-Za-z0-9._~+/=-]*(?:[0-9._~+/=-]|[A-Za-z][A-Z]))[A-Za-z0-9._~+/=-]+)");
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

// Every pattern above needs one of these words (any case) or "eyJ": most log lines (every request
// line of `mcpauth serve`, for one) have none, and skip the regexes, which cost tens of µs a line.
bool may_hold_secret(std::string_view text) {
  if (text.find("eyJ") != std::string_view::npos) return true;
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  static constexpr std::array<std::string_view, 10> kTriggers = {
      "token", "code", "secret", "password", "assertion", "api_key", "private_key", "bearer", "basic", "dpop"};
  return std::any_of(kTriggers.begin(), kTriggers.end(),
                     [&](std::string_view word) { return lower.find(word) != std::string::npos; });
}

}  // namespace

std::string redact(std::string_view text) {
  if (!may_hold_secret(text)) return std::string(text);
  std::string out(text);
  out = std::regex_replace(out, jwt(), kMask);
  out = std::regex_replace(out, auth_scheme(), std::string("$1") + kMask);
  out = std::regex_replace(out, form_pair(), std::string("$1") + kMask);
  out = std::regex_replace(out, json_pair(), std::string("$1") + kMask + "\"");
  return out;
}

}  // namespace mcpauth::core
