#include "plugin_support/json_writing.h"

#include <sstream>

namespace mcpauth::plugin_support {

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

}  // namespace mcpauth::plugin_support
