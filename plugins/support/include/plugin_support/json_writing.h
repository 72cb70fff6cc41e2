// JSON values back to text, for storage and for status.
#pragma once

#include "plugin_support/json_reading.h"

#include <Poco/JSON/Array.h>

#include <string>
#include <vector>

namespace mcpauth::plugin_support {

Poco::JSON::Array::Ptr to_array(const std::vector<std::string>& items);
std::string to_text(const JsonObject& object);

}  // namespace mcpauth::plugin_support
