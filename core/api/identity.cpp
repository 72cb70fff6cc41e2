#include "identity.h"

#include "http_error.h"
#include "secrets.h"

#include <Poco/String.h>

#include <algorithm>
#include <optional>

namespace mcpauth::api {
namespace {

constexpr size_t kMaxIdentityLength = 256;

// The only value of a header that must appear once; nullopt when absent or repeated.
std::optional<std::string> single_header(const Poco::Net::HTTPRequest& request, const std::string& name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : request) {
    if (Poco::icompare(key, name) != 0) continue;
    if (found) return std::nullopt;
    found = value;
  }
  return found;
}

bool valid_identity(const std::string& user) {
  return !user.empty() && user.size() <= kMaxIdentityLength &&
         std::all_of(user.begin(), user.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
}

}  // namespace

std::string authenticate(const Poco::Net::HTTPRequest& request, const config::Settings& settings) {
  if (settings.proxy_secret) {
    std::optional<std::string> secret = single_header(request, settings.proxy_secret_header);
    if (!secret || !equal_constant_time(*secret, *settings.proxy_secret))
      throw HttpError(401, "Not authenticated: invalid proxy secret");
  }
  const bool present = request.has(settings.identity_header) && !request.get(settings.identity_header).empty();
  if (!present && settings.dev_user) return *settings.dev_user;  // development only (see check_mode)
  if (!present) throw HttpError(401, "Not authenticated: missing user identity");
  std::optional<std::string> user = single_header(request, settings.identity_header);
  if (!user || !valid_identity(*user)) throw HttpError(401, "Not authenticated: invalid user identity");
  return *user;
}

}  // namespace mcpauth::api
