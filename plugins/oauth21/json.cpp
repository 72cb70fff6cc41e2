#include "json.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace mcpauth::oauth21 {

JsonObject parse_object(const std::string& text) {
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::optional<std::string> get_string(const JsonObject& object, const std::string& key) {
  if (!object || !object->has(key)) return std::nullopt;
  Poco::Dynamic::Var value = object->get(key);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

std::optional<int64_t> get_int(const JsonObject& object, const std::string& key) {
  if (!object || !object->has(key)) return std::nullopt;
  Poco::Dynamic::Var value = object->get(key);
  if (!value.isInteger()) {
    // Some servers send expires_in as a float or a numeric string.
    if (!value.isNumeric() && !value.isString()) return std::nullopt;
    try {
      return static_cast<int64_t>(value.convert<double>());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return value.convert<int64_t>();
}

std::optional<bool> get_bool(const JsonObject& object, const std::string& key) {
  if (!object || !object->has(key)) return std::nullopt;
  Poco::Dynamic::Var value = object->get(key);
  if (!value.isBoolean()) return std::nullopt;
  return value.extract<bool>();
}

std::vector<std::string> get_strings(const JsonObject& object, const std::string& key) {
  std::vector<std::string> items;
  if (!object || !object->has(key) || !object->isArray(key)) return items;
  Poco::JSON::Array::Ptr array = object->getArray(key);
  for (std::size_t i = 0; i < array->size(); ++i) {
    Poco::Dynamic::Var item = array->get(i);
    if (item.isString()) items.push_back(item.extract<std::string>());
  }
  return items;
}

JsonObject get_object(const JsonObject& object, const std::string& key) {
  if (!object || !object->has(key) || !object->isObject(key)) return nullptr;
  return object->getObject(key);
}

Poco::JSON::Array::Ptr to_array(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const auto& item : items) array->add(item);
  return array;
}

std::string to_text(const JsonObject& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::vector<std::string> split_scopes(const std::string& scopes) {
  std::vector<std::string> items;
  std::istringstream in(scopes);
  for (std::string item; in >> item;) items.push_back(item);
  return items;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

std::vector<std::string> scope_union(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (const auto& scope : b)
    if (std::find(a.begin(), a.end(), scope) == a.end()) a.push_back(scope);
  return a;
}

}  // namespace mcpauth::oauth21
