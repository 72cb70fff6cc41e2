// Checks on the fields of a JSON request body; each failure is HttpError(422) naming the field.
#pragma once

#include <Poco/JSON/Object.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace mcpauth::api {

void refuse_unknown_fields(const Poco::JSON::Object& body, std::initializer_list<std::string_view> allowed);

// A required field holding a token: a non-empty string without control characters (a NUL would
// cut it short at the plugin ABI's C strings). The value is never put in a message.
std::string token_field(const Poco::JSON::Object& body, const std::string& name);

}  // namespace mcpauth::api
