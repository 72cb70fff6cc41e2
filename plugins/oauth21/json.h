// Reading JSON documents that come from the network or from storage, without trusting their
// shape: every accessor checks the type and returns nothing when it does not match.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mcpauth::oauth21 {

using JsonObject = Poco::JSON::Object::Ptr;

// The document as an object, or nullptr when it is not valid JSON or not an object.
JsonObject parse_object(const std::string& text);

std::optional<std::string> get_string(const JsonObject& object, const std::string& key);
std::optional<int64_t> get_int(const JsonObject& object, const std::string& key);
std::optional<bool> get_bool(const JsonObject& object, const std::string& key);
// The string items of an array (others skipped); empty when absent or not an array.
std::vector<std::string> get_strings(const JsonObject& object, const std::string& key);
JsonObject get_object(const JsonObject& object, const std::string& key);

Poco::JSON::Array::Ptr to_array(const std::vector<std::string>& items);
std::string to_text(const JsonObject& object);

// Scope strings (space-separated) and lists.
std::vector<std::string> split_scopes(const std::string& scopes);
std::string join_scopes(const std::vector<std::string>& scopes);
// a followed by the items of b that a lacks, order kept.
std::vector<std::string> scope_union(std::vector<std::string> a, const std::vector<std::string>& b);

}  // namespace mcpauth::oauth21
