#include "mcpauth/config/document.h"

#include "mcpauth/config/json_tree.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mcpauth::config {

Format format_for_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".json") return Format::Json;
  if (ext == ".yaml" || ext == ".yml") return Format::Yaml;
  throw ConfigError({path}, "unsupported file extension (use .json, .yaml or .yml)");
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ConfigError({path}, "cannot read: is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path}, std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError({path}, "read error");
  return text.str();
}

Poco::JSON::Object::Ptr parse_document(std::string_view text, const std::string& file, Format format) {
  const Poco::Dynamic::Var root = format == Format::Json ? parse_json(text, file) : parse_yaml(text, file);
  auto object = as_object(root);
  if (!object) {
    throw ConfigError({file},
                      "the top level must be an object of server name -> server settings, got " + type_name(root));
  }
  return object;
}

}  // namespace mcpauth::config
