#include "schema/json_schema.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <utility>

namespace mcpauth::schema {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace detail {

struct Bound {
  long double value;
  std::string text;  // as written in the schema, for messages
};

struct Pattern {
  std::string source;
  std::regex regex;
};

struct Node {
  bool reject_all = false;  // the boolean schema `false`
  unsigned types = 0;       // bit set of JSON types; 0 allows any
  std::string types_text;   // e.g. "string or null"
  std::vector<Var> enum_values;
  std::string enum_text;
  std::optional<Var> const_value;
  std::string const_text;

  std::optional<std::uint64_t> min_length, max_length;
  std::optional<Pattern> pattern;

  std::optional<Bound> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;

  std::optional<std::uint64_t> min_items, max_items;
  bool unique_items = false;
  std::unique_ptr<Node> items;

  std::optional<std::uint64_t> min_properties, max_properties;
  std::map<std::string, std::unique_ptr<Node>> properties;
  std::vector<std::string> required;
  std::unique_ptr<Node> additional_properties;

  std::vector<Node> all_of, any_of, one_of;
  std::unique_ptr<Node> not_schema;
};

}  // namespace detail

using detail::Bound;
using detail::Node;
using detail::Pattern;

namespace {

// JSON types as bits so "type" can allow several. Integers are told apart
// from other numbers so "integer" can be checked; "number" allows both.
enum : unsigned {
  kNull = 1,
  kBoolean = 2,
  kInteger = 4,
  kNonInteger = 8,
  kString = 16,
  kArray = 32,
  kObject = 64,
  kUnsupported = 128,  // a C++ type Poco::JSON never produces
  kNumber = kInteger | kNonInteger,
  kAny = kNull | kBoolean | kNumber | kString | kArray | kObject,
};

struct TypeName {
  std::string_view name;
  unsigned bits;
};

constexpr std::array<TypeName, 7> kTypeNames{{
    {"null", kNull},
    {"boolean", kBoolean},
    {"integer", kInteger},
    {"number", kNumber},
    {"string", kString},
    {"array", kArray},
    {"object", kObject},
}};

// Draft 2020-12 (and older) keywords that would change validation but are not
// implemented: refused so a schema never validates less than its author meant.
constexpr std::array<std::string_view, 24> kUnsupportedKeywords{
    "$ref",
    "$dynamicRef",
    "$dynamicAnchor",
    "$anchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$defs",
    "definitions",
    "$vocabulary",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "prefixItems",
    "additionalItems",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
};

// Annotation keywords do not affect validation; only their value type is checked.
constexpr std::array<TypeName, 14> kAnnotations{{
    {"$schema", kString},
    {"$id", kString},
    {"$comment", kString},
    {"title", kString},
    {"description", kString},
    {"default", kAny},
    {"examples", kArray},
    {"deprecated", kBoolean},
    {"readOnly", kBoolean},
    {"writeOnly", kBoolean},
    {"format", kString},
    {"contentEncoding", kString},
    {"contentMediaType", kString},
    {"contentSchema", kAny},
}};

const Object* as_object(const Var& v) {
  if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>().get();
  if (v.type() == typeid(Object)) return &v.extract<Object>();
  return nullptr;
}

const Array* as_array(const Var& v) {
  if (v.type() == typeid(Array::Ptr)) return v.extract<Array::Ptr>().get();
  if (v.type() == typeid(Array)) return &v.extract<Array>();
  return nullptr;
}

unsigned type_of(const Var& v) {
  if (v.isEmpty()) return kNull;
  if (v.type() == typeid(bool)) return kBoolean;
  if (v.type() == typeid(std::string)) return kString;
  if (as_object(v)) return kObject;
  if (as_array(v)) return kArray;
  if (v.isInteger()) return kInteger;
  if (v.isNumeric()) {
    const double d = v.convert<double>();
    return std::isfinite(d) && d == std::trunc(d) ? kInteger : kNonInteger;
  }
  return kUnsupported;
}

std::string_view type_name(unsigned type) {
  if (type == kNonInteger) return "number";
  for (const TypeName& t : kTypeNames)
    if (t.bits == type) return t.name;
  return "unsupported value";
}

// long double holds every 64-bit integer exactly on x86-64 and aarch64, so
// comparisons stay exact for integers beyond 2^53.
long double number_of(const Var& v) {
  if (v.isInteger())
    return v.isSigned() ? static_cast<long double>(v.convert<Poco::Int64>())
                        : static_cast<long double>(v.convert<Poco::UInt64>());
  return v.convert<double>();
}

bool json_equal(const Var& a, const Var& b) {
  const unsigned ta = type_of(a), tb = type_of(b);
  if ((ta & kNumber) && (tb & kNumber)) return number_of(a) == number_of(b);
  if (ta != tb) return false;
  switch (ta) {
    case kNull:
      return true;
    case kBoolean:
      return a.extract<bool>() == b.extract<bool>();
    case kString:
      return a.extract<std::string>() == b.extract<std::string>();
    case kArray:
      return std::equal(as_array(a)->begin(), as_array(a)->end(), as_array(b)->begin(), as_array(b)->end(), json_equal);
    case kObject: {
      const Object& oa = *as_object(a);
      const Object& ob = *as_object(b);
      return oa.size() == ob.size() && std::all_of(oa.begin(), oa.end(), [&](const auto& member) {
               return ob.has(member.first) && json_equal(member.second, ob.get(member.first));
             });
    }
    default:
      return false;
  }
}

std::string to_json(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

std::string quote(const std::string& s) { return to_json(Var(s)); }

std::string pointer_segment(std::string_view name) {
  std::string out = "/";
  for (char c : name) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::size_t code_points(const std::string& s) {
  // Every UTF-8 code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; });
}

std::string counted(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

// "a", "a or b", "a, b or c"
std::string join_or(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// Poco 1.11's parser rejects scalar top-level values, so a scalar is parsed as
// the only element of an array. Objects and arrays are parsed as they are, so
// that error messages do not mention the added brackets.
Var parse_json(std::string_view text) {
  Poco::JSON::Parser parser;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '['))
    return parser.parse(std::string(text));
  const Var parsed = parser.parse("[" + std::string(text) + "]");
  const Array& values = *parsed.extract<Array::Ptr>();
  if (values.size() != 1) throw Poco::JSON::JSONException("expected a single JSON value");
  return *values.begin();
}

// Poco's parse errors can contain raw input bytes (even a 0xFF for end of
// text); keep messages printable ASCII.
std::string parse_error_text(const Poco::Exception& e) {
  std::string text = e.displayText();
  for (char& c : text)
    if (c < 0x20 || c > 0x7E) c = '?';
  return text;
}

// ---- compiling ----

[[noreturn]] void fail(const std::string& at, const std::string& message) { throw SchemaError(at, message); }

Node compile_node(const Var& schema, const std::string& at);

std::unique_ptr<Node> compile_sub(const Var& schema, const std::string& at) {
  return std::make_unique<Node>(compile_node(schema, at));
}

std::vector<Node> compile_list(const std::string& key, const Var& v, const std::string& at) {
  const Array* list = as_array(v);
  if (!list || list->size() == 0) fail(at, quote(key) + " must be a non-empty array of schemas");
  std::vector<Node> nodes;
  for (const Var& schema : *list) nodes.push_back(compile_node(schema, at + "/" + std::to_string(nodes.size())));
  return nodes;
}

std::uint64_t count_value(const std::string& key, const Var& v, const std::string& at) {
  if (type_of(v) != kInteger || number_of(v) < 0) fail(at, quote(key) + " must be a non-negative integer");
  const long double n = number_of(v);
  return n >= 0x1p64L ? UINT64_MAX : static_cast<std::uint64_t>(n);
}

Bound bound_value(const std::string& key, const Var& v, const std::string& at) {
  if (!(type_of(v) & kNumber)) fail(at, quote(key) + " must be a number");
  return {number_of(v), to_json(v)};
}

void compile_type(Node& n, const Var& v, const std::string& at) {
  std::vector<std::string> names;
  auto add = [&](const Var& name, const std::string& name_at) {
    const auto known = std::find_if(kTypeNames.begin(), kTypeNames.end(), [&](const TypeName& t) {
      return type_of(name) == kString && t.name == name.extract<std::string>();
    });
    if (known == kTypeNames.end()) fail(name_at, "unknown type " + to_json(name));
    if (std::find(names.begin(), names.end(), known->name) != names.end())
      fail(name_at, "type " + quote(std::string(known->name)) + " is repeated");
    n.types |= known->bits;
    names.emplace_back(known->name);
  };
  if (const Array* list = as_array(v)) {
    if (list->size() == 0) fail(at, "\"type\" must not be an empty array");
    for (const Var& name : *list) add(name, at + "/" + std::to_string(names.size()));
  } else {
    add(v, at);
  }
  n.types_text = join_or(names);
}

void compile_keyword(Node& n, const std::string& key, const Var& v, const std::string& at) {
  if (key == "type") {
    compile_type(n, v, at);
  } else if (key == "enum") {
    const Array* values = as_array(v);
    if (!values || values->size() == 0) fail(at, "\"enum\" must be a non-empty array");
    std::vector<std::string> shown;
    for (const Var& value : *values) {
      n.enum_values.push_back(value);
      if (shown.size() < 10) shown.push_back(to_json(value));
    }
    if (values->size() > shown.size()) shown.emplace_back("...");
    for (const std::string& s : shown) n.enum_text += (n.enum_text.empty() ? "" : ", ") + s;
  } else if (key == "const") {
    n.const_value = v;
    n.const_text = to_json(v);
  } else if (key == "properties") {
    const Object* props = as_object(v);
    if (!props) fail(at, "\"properties\" must be an object");
    for (const auto& [name, schema] : *props)
      n.properties.emplace(name, compile_sub(schema, at + pointer_segment(name)));
  } else if (key == "required") {
    const std::string message = "\"required\" must be an array of unique strings";
    const Array* names = as_array(v);
    if (!names) fail(at, message);
    for (const Var& name : *names) {
      if (type_of(name) != kString) fail(at, message);
      const std::string& s = name.extract<std::string>();
      if (std::find(n.required.begin(), n.required.end(), s) != n.required.end()) fail(at, message);
      n.required.push_back(s);
    }
  } else if (key == "additionalProperties") {
    n.additional_properties = compile_sub(v, at);
  } else if (key == "items") {
    if (as_array(v)) fail(at, "\"items\" must be a schema (the array form is prefixItems, which is not supported)");
    n.items = compile_sub(v, at);
  } else if (key == "minItems") {
    n.min_items = count_value(key, v, at);
  } else if (key == "maxItems") {
    n.max_items = count_value(key, v, at);
  } else if (key == "uniqueItems") {
    if (type_of(v) != kBoolean) fail(at, "\"uniqueItems\" must be a boolean");
    n.unique_items = v.extract<bool>();
  } else if (key == "minLength") {
    n.min_length = count_value(key, v, at);
  } else if (key == "maxLength") {
    n.max_length = count_value(key, v, at);
  } else if (key == "pattern") {
    if (type_of(v) != kString) fail(at, "\"pattern\" must be a string");
    const std::string& source = v.extract<std::string>();
    try {
      n.pattern = Pattern{source, std::regex(source, std::regex::ECMAScript)};
    } catch (const std::regex_error& e) {
      fail(at, "invalid regular expression " + quote(source) + ": " + e.what());
    }
  } else if (key == "minimum") {
    n.minimum = bound_value(key, v, at);
  } else if (key == "maximum") {
    n.maximum = bound_value(key, v, at);
  } else if (key == "exclusiveMinimum") {
    n.exclusive_minimum = bound_value(key, v, at);
  } else if (key == "exclusiveMaximum") {
    n.exclusive_maximum = bound_value(key, v, at);
  } else if (key == "multipleOf") {
    n.multiple_of = bound_value(key, v, at);
    if (n.multiple_of->value <= 0) fail(at, "\"multipleOf\" must be greater than 0");
  } else if (key == "minProperties") {
    n.min_properties = count_value(key, v, at);
  } else if (key == "maxProperties") {
    n.max_properties = count_value(key, v, at);
  } else if (key == "allOf") {
    n.all_of = compile_list(key, v, at);
  } else if (key == "anyOf") {
    n.any_of = compile_list(key, v, at);
  } else if (key == "oneOf") {
    n.one_of = compile_list(key, v, at);
  } else if (key == "not") {
    n.not_schema = compile_sub(v, at);
  } else if (std::find(kUnsupportedKeywords.begin(), kUnsupportedKeywords.end(), key) != kUnsupportedKeywords.end()) {
    fail(at, "keyword " + quote(key) + " is not supported");
  } else if (const auto a = std::find_if(kAnnotations.begin(), kAnnotations.end(),
                                         [&](const TypeName& t) { return t.name == key; });
             a != kAnnotations.end()) {
    if (!(type_of(v) & a->bits)) fail(at, quote(key) + " must be of type " + std::string(type_name(a->bits)));
  } else if (!key.starts_with("x-")) {
    // Unknown keywords would be ignored by the standard; refusing them catches
    // typos such as "maxLenght". Extensions must use the "x-" prefix.
    fail(at, "unknown keyword " + quote(key));
  }
}

Node compile_node(const Var& schema, const std::string& at) {
  Node n;
  if (type_of(schema) == kBoolean) {
    n.reject_all = !schema.extract<bool>();
    return n;
  }
  const Object* keywords = as_object(schema);
  if (!keywords) fail(at, "a schema must be an object or a boolean");
  for (const auto& [key, value] : *keywords) compile_keyword(n, key, value, at + pointer_segment(key));
  return n;
}

// ---- validating ----

// libstdc++'s std::regex recurses once per input character and overflows the
// stack on inputs of a few kilobytes (fewer under AddressSanitizer or on small thread stacks), so
// longer strings fail a pattern instead of being matched.
constexpr std::size_t kMaxPatternInput = 1024;

bool is_multiple(long double x, long double divisor) {
  if (x == std::trunc(x) && divisor == std::trunc(divisor)) return std::fmod(x, divisor) == 0;  // exact
  // Decimal fractions such as 0.1 are inexact in binary, so allow rounding error.
  const long double q = x / divisor;
  return std::isfinite(q) && std::fabs(q - std::round(q)) < 1e-9L;
}

class Validator {
 public:
  Validator(std::vector<Violation>& out, std::size_t limit) : out_(out), limit_(limit) {}

  void check(const Node& n, const Var& v) {
    if (full()) return;
    if (n.reject_all) {
      report("no value is allowed here");
      return;
    }
    const unsigned type = type_of(v);
    if (type == kUnsupported) {
      report("unsupported C++ value type");
      return;
    }
    // Further checks on a value of the wrong type would only add noise.
    if (n.types != 0 && !(n.types & type)) {
      report("expected " + n.types_text + ", got " + std::string(type_name(type)));
      return;
    }
    if (!n.enum_values.empty() &&
        std::none_of(n.enum_values.begin(), n.enum_values.end(), [&](const Var& e) { return json_equal(e, v); }))
      report("expected one of " + n.enum_text);
    if (n.const_value && !json_equal(*n.const_value, v)) report("expected constant " + n.const_text);

    if (type == kString)
      check_string(n, v.extract<std::string>());
    else if (type & kNumber)
      check_number(n, number_of(v));
    else if (type == kArray)
      check_array(n, *as_array(v));
    else if (type == kObject)
      check_object(n, *as_object(v));

    for (const Node& sub : n.all_of) check(sub, v);
    if (!n.any_of.empty() &&
        std::none_of(n.any_of.begin(), n.any_of.end(), [&](const Node& sub) { return matches(sub, v); }))
      report("does not match any schema in anyOf");
    if (!n.one_of.empty()) check_one_of(n.one_of, v);
    if (n.not_schema && matches(*n.not_schema, v)) report("must not match the schema in not");
  }

 private:
  bool full() const { return out_.size() >= limit_; }

  void report(std::string message) { report_at("", std::move(message)); }

  void report_at(std::string_view child_segment, std::string message) {
    if (!full()) out_.push_back({path_ + std::string(child_segment), std::move(message)});
  }

  void check_child(const Node& n, const Var& v, std::string_view name) {
    const std::size_t length = path_.size();
    path_ += pointer_segment(name);
    check(n, v);
    path_.resize(length);
  }

  // Only whether `v` is valid matters here, so stop at the first violation.
  static bool matches(const Node& n, const Var& v) {
    std::vector<Violation> scratch;
    Validator(scratch, 1).check(n, v);
    return scratch.empty();
  }

  void check_string(const Node& n, const std::string& s) {
    if (n.min_length || n.max_length) {
      const std::size_t length = code_points(s);
      if (n.min_length && length < *n.min_length)
        report("expected at least " + counted(*n.min_length, "character", "characters"));
      if (n.max_length && length > *n.max_length)
        report("expected at most " + counted(*n.max_length, "character", "characters"));
    }
    if (!n.pattern) return;
    if (s.size() > kMaxPatternInput)
      report("longer than " + std::to_string(kMaxPatternInput) + " bytes, too long to check against pattern " +
             quote(n.pattern->source));
    else if (!std::regex_search(s, n.pattern->regex))
      report("does not match pattern " + quote(n.pattern->source));
  }

  void check_number(const Node& n, long double x) {
    if (n.minimum && x < n.minimum->value) report("expected a number >= " + n.minimum->text);
    if (n.exclusive_minimum && x <= n.exclusive_minimum->value)
      report("expected a number > " + n.exclusive_minimum->text);
    if (n.maximum && x > n.maximum->value) report("expected a number <= " + n.maximum->text);
    if (n.exclusive_maximum && x >= n.exclusive_maximum->value)
      report("expected a number < " + n.exclusive_maximum->text);
    if (n.multiple_of && !is_multiple(x, n.multiple_of->value)) report("expected a multiple of " + n.multiple_of->text);
  }

  void check_array(const Node& n, const Array& a) {
    const std::size_t size = a.size();
    if (n.min_items && size < *n.min_items)
      report("expected at least " + counted(*n.min_items, "item", "items") + ", got " + std::to_string(size));
    if (n.max_items && size > *n.max_items)
      report("expected at most " + counted(*n.max_items, "item", "items") + ", got " + std::to_string(size));
    const auto items = a.begin();
    if (n.unique_items) {
      for (std::size_t j = 1; j < size && !full(); ++j) {
        for (std::size_t i = 0; i < j; ++i) {
          if (json_equal(items[i], items[j])) {
            report_at(pointer_segment(std::to_string(j)), "duplicate of item " + std::to_string(i));
            break;
          }
        }
      }
    }
    if (n.items)
      for (std::size_t i = 0; i < size && !full(); ++i) check_child(*n.items, items[i], std::to_string(i));
  }

  void check_object(const Node& n, const Object& o) {
    const std::size_t size = o.size();
    if (n.min_properties && size < *n.min_properties)
      report("expected at least " + counted(*n.min_properties, "property", "properties") + ", got " +
             std::to_string(size));
    if (n.max_properties && size > *n.max_properties)
      report("expected at most " + counted(*n.max_properties, "property", "properties") + ", got " +
             std::to_string(size));
    for (const std::string& name : n.required)
      if (!o.has(name)) report("missing required property " + quote(name));
    for (const auto& [name, value] : o) {
      if (full()) return;
      if (const auto p = n.properties.find(name); p != n.properties.end()) {
        check_child(*p->second, value, name);
      } else if (n.additional_properties) {
        if (n.additional_properties->reject_all)
          report_at(pointer_segment(name), "unknown property " + quote(name));
        else
          check_child(*n.additional_properties, value, name);
      }
    }
  }

  void check_one_of(const std::vector<Node>& alternatives, const Var& v) {
    std::vector<std::size_t> matched;
    for (std::size_t i = 0; i < alternatives.size() && matched.size() < 2; ++i)
      if (matches(alternatives[i], v)) matched.push_back(i);
    if (matched.empty())
      report("does not match any schema in oneOf");
    else if (matched.size() > 1)
      report("matches oneOf schemas " + std::to_string(matched[0]) + " and " + std::to_string(matched[1]) +
             ", expected exactly one");
  }

  std::vector<Violation>& out_;
  std::size_t limit_;
  std::string path_;  // JSON pointer of the value being checked
};

std::string error_text(const std::string& pointer, const std::string& message) {
  return (pointer.empty() ? "invalid schema: " : "invalid schema at " + pointer + ": ") + message;
}

}  // namespace

SchemaError::SchemaError(std::string pointer, const std::string& message)
    : std::runtime_error(error_text(pointer, message)), pointer_(std::move(pointer)) {}

std::string to_string(const Violation& violation) {
  return (violation.pointer.empty() ? "(root)" : violation.pointer) + ": " + violation.message;
}

Schema::Schema(std::shared_ptr<const Node> root) : root_(std::move(root)) {}

Schema Schema::compile(std::string_view schema_json) {
  Var parsed;
  try {
    parsed = parse_json(schema_json);
  } catch (const Poco::Exception& e) {
    throw SchemaError("", "not valid JSON: " + parse_error_text(e));
  }
  if (!as_object(parsed)) throw SchemaError("", "the schema must be a JSON object");
  return Schema(std::make_shared<const Node>(compile_node(parsed, "")));
}

std::vector<Violation> Schema::validate(const Var& instance) const {
  std::vector<Violation> out;
  Validator(out, max_violations).check(*root_, instance);
  return out;
}

std::vector<Violation> Schema::validate_text(std::string_view instance_json) const {
  Var instance;
  try {
    instance = parse_json(instance_json);
  } catch (const Poco::Exception& e) {
    return {{"", "invalid JSON: " + parse_error_text(e)}};
  }
  return validate(instance);
}

}  // namespace mcpauth::schema
