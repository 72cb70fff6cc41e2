// Reading JSON text that comes from outside (a token, its metadata, storage) without trusting
// its shape.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>

namespace mcpauth::manual_jwt {

using JsonObject = Poco::JSON::Object::Ptr;

// The text as an object; nullptr when it is not valid JSON or not an object.
JsonObject parse_object(std::string_view text);

// The member as a string; nullopt when absent or of another type.
std::optional<std::string> get_string(const JsonObject& object, const std::string& key);

std::string to_text(const JsonObject& object);

}  // namespace mcpauth::manual_jwt
