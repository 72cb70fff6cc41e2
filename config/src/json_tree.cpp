#include "mcpauth/config/json_tree.h"

#include <Poco/Exception.h>

namespace mcpauth::config {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string type_name(const Var& value) {
  if (value.isEmpty()) return "null";
  if (value.isBoolean()) return "boolean";  // before isInteger: Poco counts bool as integer
  if (value.isInteger()) return "integer";
  if (value.isNumeric()) return "number";
  if (value.isString()) return "string";
  if (as_array(value)) return "array";
  if (as_object(value)) return "object";
  return "unknown";
}

Object::Ptr as_object(const Var& value) {
  return value.type() == typeid(Object::Ptr) ? value.extract<Object::Ptr>() : nullptr;
}

Array::Ptr as_array(const Var& value) {
  return value.type() == typeid(Array::Ptr) ? value.extract<Array::Ptr>() : nullptr;
}

std::optional<std::int64_t> as_integer(const Var& value) {
  if (value.isEmpty() || value.isBoolean() || !value.isInteger()) return std::nullopt;
  try {
    return value.convert<Poco::Int64>();
  } catch (const Poco::RangeException&) {  // an unsigned value above int64
    return std::nullopt;
  }
}

Var deep_copy(const Var& value) {
  if (auto object = as_object(value)) return deep_copy_object(object);
  if (auto array = as_array(value)) {
    Array::Ptr copy = new Array;
    for (std::size_t i = 0; i < array->size(); ++i) copy->add(deep_copy(array->get(i)));
    return copy;
  }
  return value;  // scalars are held by value
}

Object::Ptr deep_copy_object(const Object::Ptr& object) {
  Object::Ptr copy = new Object;
  for (const auto& [key, value] : *object) copy->set(key, deep_copy(value));
  return copy;
}

std::optional<std::string> get_string(const Object& object, const std::string& key) {
  const Var value = object.get(key);
  if (value.isEmpty()) return std::nullopt;
  return value.extract<std::string>();
}

std::optional<bool> get_bool(const Object& object, const std::string& key) {
  const Var value = object.get(key);
  if (value.isEmpty()) return std::nullopt;
  return value.extract<bool>();
}

std::vector<std::string> get_strings(const Object& object, const std::string& key) {
  std::vector<std::string> out;
  if (auto array = as_array(object.get(key))) {
    for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->get(i).extract<std::string>());
  }
  return out;
}

Object::Ptr get_object(const Object& object, const std::string& key) { return as_object(object.get(key)); }

}  // namespace mcpauth::config
