// Reading JSON that comes from outside (the network, storage, a token's metadata) without trusting
// its shape: every getter checks the type and returns nothing when it does not match.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::plugin_support {

using JsonObject = Poco::JSON::Object::Ptr;

// The text as an object; nullptr when it is not valid JSON or not an object.
JsonObject parse_object(std::string_view text);

// Each getter: nothing (nullopt, nullptr, empty) when the object is null, the member absent or of
// another type.
std::optional<std::string> get_string(const JsonObject& object, const std::string& key);
// A float or a numeric string counts too (some servers send expires_in so), truncated.
std::optional<int64_t> get_int(const JsonObject& object, const std::string& key);
std::optional<bool> get_bool(const JsonObject& object, const std::string& key);
// The string items of an array (others skipped).
std::vector<std::string> get_strings(const JsonObject& object, const std::string& key);
JsonObject get_object(const JsonObject& object, const std::string& key);

}  // namespace mcpauth::plugin_support
