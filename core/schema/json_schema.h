// A small JSON Schema validator: a subset of draft 2020-12 on top of Poco::JSON.
//
// Plugins describe their per-server configuration with a schema; the host
// compiles it once and validates every config against it before the plugin
// sees the config. Keywords outside the subset that would change validation
// are refused at compile time instead of being silently ignored.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::schema {

namespace detail {
struct Node;  // a compiled (sub)schema, defined in json_schema.cpp
}

// The schema text is not JSON, not an object, or uses a keyword wrongly or
// one this validator does not implement.
class SchemaError : public std::runtime_error {
 public:
  SchemaError(std::string pointer, const std::string& message);
  // JSON pointer into the schema of the offending keyword ("" for the root).
  const std::string& pointer() const noexcept { return pointer_; }

 private:
  std::string pointer_;
};

struct Violation {
  std::string pointer;  // JSON pointer of the offending value, "" for the root, e.g. "/scopes/0"
  std::string message;  // never contains the offending string value itself
};

// "/scopes/0: expected string, got integer"; the root is shown as "(root)".
std::string to_string(const Violation& violation);

// Notes: `pattern` is ECMAScript as std::regex implements it, matched on
// UTF-8 bytes; strings over 1024 bytes fail any `pattern` (std::regex would
// exhaust the stack). Numbers compare as long double, exact for 64-bit integers.

// validate() stops collecting after this many violations.
inline constexpr std::size_t max_violations = 50;

// An immutable compiled schema: cheap to copy, safe to use from several
// threads at once.
class Schema {
 public:
  // Throws SchemaError.
  static Schema compile(std::string_view schema_json);

  // `instance` holds what Poco::JSON::Parser produces: Object::Ptr,
  // Array::Ptr (or Object/Array by value), std::string, bool, numbers, or
  // empty for null. An empty result means the instance is valid.
  std::vector<Violation> validate(const Poco::Dynamic::Var& instance) const;

  // Parses and validates; text that is not JSON yields a single violation at "".
  std::vector<Violation> validate_text(std::string_view instance_json) const;

 private:
  explicit Schema(std::shared_ptr<const detail::Node> root);
  std::shared_ptr<const detail::Node> root_;
};

}  // namespace mcpauth::schema
