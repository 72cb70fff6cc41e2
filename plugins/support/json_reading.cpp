#include "plugin_support/json_reading.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace mcpauth::plugin_support {

JsonObject parse_object(std::string_view text) {
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(std::string(text));
    if (parsed.type() != typeid(JsonObject)) return nullptr;
    return parsed.extract<JsonObject>();
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
  if (!value.isInteger() && !value.isNumeric() && !value.isString()) return std::nullopt;
  try {
    if (value.isInteger()) return value.convert<int64_t>();  // Poco::RangeException past int64
    // Outside int64 (or NaN) the cast would be undefined: no usable number then.
    constexpr double kTwoTo63 = 9223372036854775808.0;
    const double number = value.convert<double>();
    if (!(number >= -kTwoTo63 && number < kTwoTo63)) return std::nullopt;
    return static_cast<int64_t>(number);
  } catch (const std::exception&) {
    return std::nullopt;
  }
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

}  // namespace mcpauth::plugin_support
