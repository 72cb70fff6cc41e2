#include "json_object.h"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace mcpauth::manual_jwt {

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

std::string to_text(const JsonObject& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

}  // namespace mcpauth::manual_jwt
