// Validation of one parsed file, before merging.
#pragma once

#include "mcpauth/config/context.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

namespace mcpauth::config {

// 1-64 characters of [A-Za-z0-9_.-], starting with a letter or digit.
bool valid_server_name(std::string_view name);

// Checks server names, the type and value of every field present, and unknown keys
// (warnings, or errors in strict mode). A null field counts as absent. Only an overrides
// file may set a whole server to null (to remove it). What needs the merged server
// (required fields) is checked by build_config.
void check_document(const Poco::JSON::Object& root, const std::string& file, bool is_override, Context& ctx);

}  // namespace mcpauth::config
