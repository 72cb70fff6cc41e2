// Reading one configuration file (JSON or YAML) into a Poco::JSON tree, so that a single
// code path validates both formats.
#pragma once

#include "mcpauth/config/config.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpauth::config {

// Deepest nesting accepted in either format; keeps every recursive walk bounded.
inline constexpr std::size_t kMaxDepth = 64;

// Json for ".json", Yaml for ".yaml"/".yml" (any case); anything else is a ConfigError.
Format format_for_path(const std::string& path);

// The whole file as text; a ConfigError naming the file when it cannot be read.
std::string read_file(const std::string& path);

// Syntax errors are ConfigErrors naming the file (and line/column where the parser gives them).
Poco::Dynamic::Var parse_json(std::string_view text, const std::string& file);
Poco::Dynamic::Var parse_yaml(std::string_view text, const std::string& file);

// parse_json or parse_yaml, plus the check that the top level is an object.
Poco::JSON::Object::Ptr parse_document(std::string_view text, const std::string& file, Format format);

}  // namespace mcpauth::config
