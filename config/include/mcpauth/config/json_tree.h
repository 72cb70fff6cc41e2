// Helpers for the Poco::JSON tree that both file formats are read into.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mcpauth::config {

// "null", "boolean", "integer", "number", "string", "array" or "object".
std::string type_name(const Poco::Dynamic::Var& value);

// The object or array held by value, or null when it holds something else.
Poco::JSON::Object::Ptr as_object(const Poco::Dynamic::Var& value);
Poco::JSON::Array::Ptr as_array(const Poco::Dynamic::Var& value);

// An integer value (booleans excluded); nullopt when not an integer or out of int64 range.
std::optional<std::int64_t> as_integer(const Poco::Dynamic::Var& value);

// A copy sharing no object or array with the original.
Poco::Dynamic::Var deep_copy(const Poco::Dynamic::Var& value);
Poco::JSON::Object::Ptr deep_copy_object(const Poco::JSON::Object::Ptr& object);

// Readers for fields that validation has already type-checked. Absent and null fields
// read as not set.
std::optional<std::string> get_string(const Poco::JSON::Object& object, const std::string& key);
std::optional<bool> get_bool(const Poco::JSON::Object& object, const std::string& key);
std::vector<std::string> get_strings(const Poco::JSON::Object& object, const std::string& key);
Poco::JSON::Object::Ptr get_object(const Poco::JSON::Object& object, const std::string& key);

}  // namespace mcpauth::config
