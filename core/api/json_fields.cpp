#include "json_fields.h"

#include "http_error.h"

#include "mcpauth/config/printable.h"

#include <algorithm>

namespace mcpauth::api {

void refuse_unknown_fields(const Poco::JSON::Object& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : body) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string names;
    for (std::string_view name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
    throw HttpError(422, "Unknown field '" + config::printable(key, 64) + "' (allowed: " + names + ")");
  }
}

std::string token_field(const Poco::JSON::Object& body, const std::string& name) {
  const Poco::Dynamic::Var& value = body.get(name);
  if (value.isEmpty()) throw HttpError(422, "Field '" + name + "' is required");
  if (!value.isString()) throw HttpError(422, "Field '" + name + "' must be a string");
  std::string token = value.extract<std::string>();
  if (token.find_first_not_of(" \t") == std::string::npos)
    throw HttpError(422, "Field '" + name + "' must not be empty");
  if (std::any_of(token.begin(), token.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    throw HttpError(422, "Field '" + name + "' must not contain control characters");
  return token;
}

}  // namespace mcpauth::api
