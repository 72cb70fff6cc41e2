// YAML -> Poco::JSON tree. Scalars follow the YAML 1.2 core schema in a reduced form:
// quoted or tagged scalars stay strings; plain true/false become booleans, plain decimal
// integers become integers, null/~/empty become null; everything else is a string.
#include "mcpauth/config/document.h"

#include <Poco/JSON/Array.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdint>

namespace mcpauth::config {
namespace {

using Poco::Dynamic::Var;

// Aliases can repeat a subtree many times ("billion laughs"); cap the expanded size.
constexpr std::size_t kMaxNodes = 1'000'000;

Var plain_scalar(const std::string& s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const char* begin = s.data() + (s.size() > 1 && s[0] == '+' ? 1 : 0);
  const char* end = s.data() + s.size();
  std::int64_t number = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, number);
  if (ec == std::errc() && ptr == end) return Poco::Int64(number);
  return s;  // includes integers out of range
}

ConfigError yaml_error(const std::string& file, const YAML::Mark& mark, const std::string& problem) {
  if (mark.is_null()) return ConfigError({file}, "invalid YAML: " + problem);
  return ConfigError({file}, "invalid YAML at line " + std::to_string(mark.line + 1) + ", column " +
                                 std::to_string(mark.column + 1) + ": " + problem);
}

class Converter {
 public:
  explicit Converter(const std::string& file) : file_(file) {}

  Var convert(const YAML::Node& node, std::size_t depth) {
    if (++nodes_ > kMaxNodes) fail(node, "document too large (too many nodes after alias expansion)");
    if (depth > kMaxDepth) fail(node, "nested too deeply");
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        // yaml-cpp tags plain scalars "?" and quoted ones "!".
        return node.Tag() == "?" ? plain_scalar(node.Scalar()) : Var(node.Scalar());
      case YAML::NodeType::Sequence: {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& item : node) array->add(convert(item, depth + 1));
        return array;
      }
      case YAML::NodeType::Map: {
        Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
        for (const auto& item : node) {
          if (!item.first.IsScalar()) fail(item.first, "mapping keys must be strings");
          object->set(item.first.Scalar(), convert(item.second, depth + 1));  // last duplicate wins, as in JSON
        }
        return object;
      }
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    return Var();
  }

 private:
  [[noreturn]] void fail(const YAML::Node& node, const std::string& problem) const {
    throw yaml_error(file_, node.Mark(), problem);
  }

  const std::string& file_;
  std::size_t nodes_ = 0;
};

}  // namespace

Var parse_yaml(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw yaml_error(file, e.mark, e.msg);
  }
  return Converter(file).convert(root, 0);
}

}  // namespace mcpauth::config
