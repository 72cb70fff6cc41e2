#include "schema/json_schema.h"

#include <Poco/Dynamic/Struct.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

using Catch::Matchers::Contains;
using mcpauth::schema::max_violations;
using mcpauth::schema::Schema;
using mcpauth::schema::SchemaError;
using mcpauth::schema::Violation;

namespace {

std::vector<Violation> check(const std::string& schema, const std::string& instance) {
  return Schema::compile(schema).validate_text(instance);
}

bool valid(const std::string& schema, const std::string& instance) { return check(schema, instance).empty(); }

// The single violation for `instance`, as "pointer: message".
std::string only_error(const std::string& schema, const std::string& instance) {
  const auto violations = check(schema, instance);
  REQUIRE(violations.size() == 1);
  return to_string(violations[0]);
}

std::vector<std::string> errors(const std::string& schema, const std::string& instance) {
  std::vector<std::string> out;
  for (const Violation& v : check(schema, instance)) out.push_back(to_string(v));
  return out;
}

// The SchemaError thrown when compiling `schema`.
SchemaError compile_error(const std::string& schema) {
  try {
    Schema::compile(schema);
  } catch (const SchemaError& e) {
    return e;
  }
  FAIL("schema compiled but should not have: " << schema);
  return SchemaError("", "");  // not reached: FAIL throws
}

}  // namespace

TEST_CASE("type names accept and reject the matching JSON types") {
  CHECK(valid(R"({"type": "null"})", "null"));
  CHECK(only_error(R"({"type": "null"})", "0") == "(root): expected null, got integer");
  CHECK(valid(R"({"type": "boolean"})", "false"));
  CHECK(only_error(R"({"type": "boolean"})", "\"true\"") == "(root): expected boolean, got string");
  CHECK(valid(R"({"type": "string"})", "\"x\""));
  CHECK(only_error(R"({"type": "string"})", "1.5") == "(root): expected string, got number");
  CHECK(valid(R"({"type": "array"})", "[]"));
  CHECK(only_error(R"({"type": "array"})", "{}") == "(root): expected array, got object");
  CHECK(valid(R"({"type": "object"})", "{}"));
  CHECK(only_error(R"({"type": "object"})", "[]") == "(root): expected object, got array");
}

TEST_CASE("integer accepts numbers with a zero fraction, number accepts both") {
  const std::string integer = R"({"type": "integer"})";
  CHECK(valid(integer, "3"));
  CHECK(valid(integer, "-3"));
  CHECK(valid(integer, "3.0"));
  CHECK(valid(integer, "1e2"));
  CHECK(valid(integer, "18446744073709551615"));
  CHECK(only_error(integer, "3.5") == "(root): expected integer, got number");
  CHECK(only_error(integer, "true") == "(root): expected integer, got boolean");

  const std::string number = R"({"type": "number"})";
  CHECK(valid(number, "3"));
  CHECK(valid(number, "3.5"));
  CHECK(only_error(number, "\"3\"") == "(root): expected number, got string");
  CHECK(only_error(number, "false") == "(root): expected number, got boolean");
}

TEST_CASE("type can be a list of names") {
  const std::string schema = R"({"type": ["string", "integer", "null"]})";
  CHECK(valid(schema, "\"x\""));
  CHECK(valid(schema, "7"));
  CHECK(valid(schema, "null"));
  CHECK(only_error(schema, "1.5") == "(root): expected string, integer or null, got number");
  CHECK(only_error(R"({"type": ["string", "null"]})", "{}") == "(root): expected string or null, got object");
}

TEST_CASE("enum compares JSON values and names the allowed values") {
  const std::string schema = R"({"enum": ["read", "write", 1, null, [1, {"a": true}]]})";
  CHECK(valid(schema, "\"write\""));
  CHECK(valid(schema, "1.0"));  // numbers compare by value
  CHECK(valid(schema, "null"));
  CHECK(valid(schema, R"([1, {"a": true}])"));
  CHECK(!valid(schema, R"([1, {"a": false}])"));
  CHECK(!valid(schema, R"([{"a": true}, 1])"));
  CHECK(only_error(schema, "\"admin\"") == R"((root): expected one of "read", "write", 1, null, [1,{"a":true}])");

  const auto long_enum = R"({"enum": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]})";
  CHECK(only_error(long_enum, "12") == "(root): expected one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...");
}

TEST_CASE("const requires one exact JSON value") {
  CHECK(valid(R"({"const": {"x": [1, "a"]}})", R"({"x": [1, "a"]})"));
  CHECK(!valid(R"({"const": {"x": [1, "a"]}})", R"({"x": [1, "a"], "y": 0})"));
  CHECK(valid(R"({"const": null})", "null"));
  CHECK(only_error(R"({"const": null})", "0") == "(root): expected constant null");
  CHECK(only_error(R"({"const": "v2"})", "\"v1\"") == R"((root): expected constant "v2")");
}

TEST_CASE("properties, required and additionalProperties") {
  const std::string schema = R"({
        "type": "object",
        "properties": {"url": {"type": "string"}, "port": {"type": "integer"}},
        "required": ["url", "port"],
        "additionalProperties": false
    })";
  CHECK(valid(schema, R"({"url": "https://x", "port": 443})"));
  CHECK(only_error(schema, R"({"url": "https://x"})") == R"((root): missing required property "port")");
  CHECK(only_error(schema, R"({"url": "https://x", "port": 1, "extra": 2})") == R"(/extra: unknown property "extra")");
  CHECK(only_error(schema, R"({"url": 5, "port": 1})") == "/url: expected string, got integer");

  // additionalProperties as a schema applies only to undeclared properties.
  const std::string map = R"({"properties": {"n": {"type": "integer"}}, "additionalProperties": {"type": "string"}})";
  CHECK(valid(map, R"({"n": 1, "a": "x", "b": "y"})"));
  CHECK(only_error(map, R"({"n": 1, "a": 2})") == "/a: expected string, got integer");
  // Without additionalProperties anything else is allowed.
  CHECK(valid(R"({"properties": {"n": {"type": "integer"}}})", R"({"n": 1, "other": [true]})"));
}

TEST_CASE("pointers of nested values, with ~ and / escaped") {
  const std::string schema = R"({
        "properties": {
            "servers": {"items": {"properties": {"scopes": {"items": {"type": "string"}}}}},
            "a/b": {"type": "string"},
            "c~d": {"type": "string"}
        }
    })";
  CHECK(only_error(schema, R"({"servers": [{}, {"scopes": ["ok", 3]}]})") ==
        "/servers/1/scopes/1: expected string, got integer");
  CHECK(only_error(schema, R"({"a/b": 1})") == "/a~1b: expected string, got integer");
  CHECK(only_error(schema, R"({"c~d": 1})") == "/c~0d: expected string, got integer");
}

TEST_CASE("items, minItems, maxItems") {
  const std::string schema = R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})";
  CHECK(valid(schema, R"(["a"])"));
  CHECK(valid(schema, R"(["a", "b"])"));
  CHECK(only_error(schema, "[]") == "(root): expected at least 1 item, got 0");
  CHECK(only_error(schema, R"(["a", "b", "c"])") == "(root): expected at most 2 items, got 3");
  CHECK(only_error(schema, R"(["a", null])") == "/1: expected string, got null");
}

TEST_CASE("uniqueItems compares JSON values") {
  const std::string schema = R"({"uniqueItems": true})";
  CHECK(valid(schema, R"([1, "1", [1], {"a": 1}, {"a": 2}])"));
  CHECK(only_error(schema, "[1, 2, 1.0]") == "/2: duplicate of item 0");
  CHECK(only_error(schema, R"([{"a": 1, "b": 2}, {"b": 2, "a": 1}])") == "/1: duplicate of item 0");
  CHECK(valid(R"({"uniqueItems": false})", "[1, 1]"));
}

TEST_CASE("minLength and maxLength count code points, not bytes") {
  const std::string schema = R"({"minLength": 2, "maxLength": 3})";
  CHECK(valid(schema, "\"ab\""));
  CHECK(valid(schema, "\"h\u00e9\u00e9\""));                     // 3 code points, 5 bytes
  CHECK(valid(schema, "\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\""));  // two emoji, 8 bytes
  CHECK(valid(schema, R"("\ud83d\ude00\u00e9")"));               // escaped surrogate pair + é: 2 code points
  CHECK(only_error(schema, "\"\xF0\x9F\x98\x80\"") == "(root): expected at least 2 characters");
  CHECK(only_error(schema, "\"abcd\"") == "(root): expected at most 3 characters");
  CHECK(only_error(R"({"minLength": 1})", "\"\"") == "(root): expected at least 1 character");
}

TEST_CASE("pattern uses ECMAScript search semantics") {
  CHECK(valid(R"({"pattern": "b"})", "\"abc\""));  // unanchored: a match anywhere is enough
  const std::string anchored = R"({"pattern": "^[a-z]+\\d$"})";
  CHECK(valid(anchored, "\"abc1\""));
  CHECK(only_error(anchored, "\"abc\"") == R"((root): does not match pattern "^[a-z]+\\d$")");
  CHECK(valid(anchored, "5"));  // string keywords ignore other types
}

TEST_CASE("pattern refuses strings too long for std::regex") {
  const std::string schema = R"({"pattern": "^(a|b)*$"})";
  CHECK(valid(schema, "\"" + std::string(1024, 'a') + "\""));
  CHECK(only_error(schema, "\"" + std::string(1025, 'a') + "\"") ==
        R"((root): longer than 1024 bytes, too long to check against pattern "^(a|b)*$")");
}

TEST_CASE("minimum, maximum and their exclusive forms") {
  const std::string inclusive = R"({"minimum": 1, "maximum": 10.5})";
  CHECK(valid(inclusive, "1"));
  CHECK(valid(inclusive, "10.5"));
  CHECK(only_error(inclusive, "0.5") == "(root): expected a number >= 1");
  CHECK(only_error(inclusive, "11") == "(root): expected a number <= 10.5");

  const std::string exclusive = R"({"exclusiveMinimum": 1, "exclusiveMaximum": 10})";
  CHECK(valid(exclusive, "1.5"));
  CHECK(only_error(exclusive, "1") == "(root): expected a number > 1");
  CHECK(only_error(exclusive, "10") == "(root): expected a number < 10");
  CHECK(valid(exclusive, "\"not a number\""));
}

TEST_CASE("bounds stay exact for integers beyond 2^53") {
  CHECK(valid(R"({"maximum": 9007199254740992})", "9007199254740992"));
  CHECK(!valid(R"({"maximum": 9007199254740992})", "9007199254740993"));
  CHECK(!valid(R"({"maximum": 18446744073709551614})", "18446744073709551615"));
}

TEST_CASE("multipleOf") {
  CHECK(valid(R"({"multipleOf": 5})", "15"));
  CHECK(valid(R"({"multipleOf": 5})", "-10"));
  CHECK(only_error(R"({"multipleOf": 5})", "7") == "(root): expected a multiple of 5");
  CHECK(valid(R"({"multipleOf": 0.1})", "0.3"));
  CHECK(!valid(R"({"multipleOf": 0.1})", "0.35"));
  CHECK(valid(R"({"multipleOf": 2})", "9223372036854775808"));
  CHECK(!valid(R"({"multipleOf": 2})", "9223372036854775809"));
}

TEST_CASE("minProperties and maxProperties") {
  const std::string schema = R"({"minProperties": 1, "maxProperties": 2})";
  CHECK(valid(schema, R"({"a": 1})"));
  CHECK(only_error(schema, "{}") == "(root): expected at least 1 property, got 0");
  CHECK(only_error(schema, R"({"a": 1, "b": 2, "c": 3})") == "(root): expected at most 2 properties, got 3");
}

TEST_CASE("allOf reports each failing branch") {
  const std::string schema = R"({"allOf": [{"type": "string"}, {"minLength": 3}, {"pattern": "^a"}]})";
  CHECK(valid(schema, "\"abc\""));
  CHECK(errors(schema, "\"b\"") ==
        std::vector<std::string>{"(root): expected at least 3 characters", R"((root): does not match pattern "^a")"});
}

TEST_CASE("anyOf needs at least one match") {
  const std::string schema = R"({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]})";
  CHECK(valid(schema, "\"x\""));
  CHECK(valid(schema, "3"));
  CHECK(only_error(schema, "-3") == "(root): does not match any schema in anyOf");
}

TEST_CASE("oneOf needs exactly one match") {
  const std::string schema = R"({"oneOf": [{"type": "integer"}, {"minimum": 10}]})";
  CHECK(valid(schema, "3"));
  CHECK(valid(schema, "10.5"));
  CHECK(only_error(schema, "12") == "(root): matches oneOf schemas 0 and 1, expected exactly one");
  CHECK(only_error(schema, "1.5") == "(root): does not match any schema in oneOf");
}

TEST_CASE("not inverts its schema") {
  const std::string schema = R"({"not": {"type": "null"}})";
  CHECK(valid(schema, "0"));
  CHECK(only_error(schema, "null") == "(root): must not match the schema in not");
}

TEST_CASE("boolean schemas") {
  const std::string schema = R"({"properties": {"any": true, "never": false}})";
  CHECK(valid(schema, R"({"any": {"x": [1]}})"));
  CHECK(only_error(schema, R"({"never": 1})") == "/never: no value is allowed here");
  CHECK(valid(R"({"items": false})", "[]"));
  CHECK(!valid(R"({"items": false})", "[1]"));
  CHECK(!valid(R"({"not": true})", "1"));
}

TEST_CASE("annotations and format do not affect validation") {
  const std::string schema = R"({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:x", "$comment": "c",
        "title": "t", "description": "d", "default": 1, "examples": [1], "deprecated": false,
        "readOnly": false, "writeOnly": true, "format": "email", "x-secret": true
    })";
  CHECK(valid(schema, "\"not an email\""));
  CHECK(valid(schema, "[]"));
}

TEST_CASE("all violations are reported, capped at max_violations") {
  const std::string schema = R"({
        "properties": {"a": {"type": "string"}, "b": {"maximum": 1}},
        "required": ["c"],
        "additionalProperties": false
    })";
  CHECK(errors(schema, R"({"a": 1, "b": 2, "z": 0})") ==
        std::vector<std::string>{R"((root): missing required property "c")", "/a: expected string, got integer",
                                 "/b: expected a number <= 1", R"(/z: unknown property "z")"});

  std::string many = "[";
  for (int i = 0; i < 120; ++i) many += (i ? ",1" : "1");
  many += "]";
  const auto violations = check(R"({"items": {"type": "string"}})", many);
  REQUIRE(violations.size() == max_violations);
  CHECK(violations.back().pointer == "/49");
}

TEST_CASE("messages do not echo string values") {
  const std::string secret = "sk-live-" + std::string(200, 'Q');
  const std::string instance = R"({"token": ")" + secret + R"("})";
  for (const auto* schema : {
           R"({"properties": {"token": {"maxLength": 32}}})",
           R"({"properties": {"token": {"pattern": "^[a-z]+$"}}})",
           R"({"properties": {"token": {"enum": ["a", "b"]}}})",
           R"({"properties": {"token": {"const": "a"}}})",
           R"({"properties": {"token": {"type": "integer"}}})",
           R"({"properties": {"token": {"not": {"type": "string"}}}})",
       }) {
    const auto violations = check(schema, instance);
    REQUIRE(violations.size() == 1);
    CHECK(violations[0].pointer == "/token");
    CHECK_THAT(to_string(violations[0]), !Contains("QQQQ") && !Contains("sk-live"));
  }
}

TEST_CASE("validate_text reports invalid JSON at the root and accepts scalar roots") {
  const Schema schema = Schema::compile(R"({"type": "object"})");
  for (const auto* text : {"{\"a\": 1,}", "", "[1, 2", "{} {}", "1, 2"}) {
    const auto violations = schema.validate_text(text);
    REQUIRE(violations.size() == 1);
    CHECK(violations[0].pointer.empty());
    CHECK_THAT(violations[0].message, Catch::StartsWith("invalid JSON: "));
    const std::string& m = violations[0].message;  // Poco reports end of text as byte 0xFF
    CHECK(std::all_of(m.begin(), m.end(), [](char c) { return c >= 0x20 && c <= 0x7E; }));
  }
  CHECK(Schema::compile(R"({"type": "integer"})").validate_text("42").empty());
  CHECK(Schema::compile(R"({"type": "string"})").validate_text(R"("x")").empty());
}

TEST_CASE("validate accepts Vars built in code") {
  Poco::JSON::Object::Ptr config = new Poco::JSON::Object;
  Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
  scopes->add(std::string("read"));
  scopes->add(7);
  config->set("scopes", scopes);
  config->set("retries", 3);  // an int, not the Int64 the parser produces
  config->set("ratio", 0.5f);
  const Schema schema = Schema::compile(R"({
        "properties": {"scopes": {"items": {"type": "string"}}, "retries": {"type": "integer", "maximum": 5},
                       "ratio": {"type": "number", "maximum": 1}}
    })");
  const auto violations = schema.validate(config);
  REQUIRE(violations.size() == 1);
  CHECK(to_string(violations[0]) == "/scopes/1: expected string, got integer");
}

TEST_CASE("C++ types that Poco::JSON never produces are reported, not guessed") {
  const Schema schema = Schema::compile("{}");
  const auto violations = schema.validate(Poco::Dynamic::Var(Poco::Dynamic::Struct<std::string>()));
  REQUIRE(violations.size() == 1);
  CHECK(to_string(violations[0]) == "(root): unsupported C++ value type");
  CHECK(schema.validate(Poco::Dynamic::Var()).empty());  // empty is null
}

TEST_CASE("a compiled schema can be shared between threads") {
  const Schema schema = Schema::compile(R"({"properties": {"name": {"pattern": "^[a-z]+$"}, "n": {"enum": [1, 2]}}})");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (!schema.validate_text(R"({"name": "abc", "n": 2})").empty()) ++failures[t];
        if (schema.validate_text(R"({"name": "ABC", "n": 3})").size() != 2) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(4, 0));
}

TEST_CASE("schema text that is not JSON or not an object is refused") {
  CHECK_THAT(compile_error("{\"type\": ").what(), Contains("not valid JSON"));
  CHECK_THAT(compile_error("").what(), Contains("not valid JSON"));
  // Scalars are parsed inside added brackets; objects must not be, or errors would mention them.
  CHECK_THAT(compile_error("{\"a\":").what(), Contains("not valid JSON") && !Contains("]"));
  for (const auto* text : {"[]", "true", "5", "\"x\"", "null"}) {
    const SchemaError e = compile_error(text);
    CHECK(e.pointer().empty());
    CHECK_THAT(e.what(), Contains("must be a JSON object"));
  }
  CHECK_THAT(compile_error(R"({"properties": {"a": 5}})").what(),
             Contains("/properties/a") && Contains("object or a boolean"));
}

TEST_CASE("keywords with wrong-typed values are refused") {
  struct Case {
    const char* schema;
    const char* pointer;
    const char* message;
  };
  const Case cases[] = {
      {R"({"required": "x"})", "/required", "array of unique strings"},
      {R"({"required": ["x", "x"]})", "/required", "array of unique strings"},
      {R"({"type": "strnig"})", "/type", R"(unknown type "strnig")"},
      {R"({"type": ["string", 5]})", "/type/1", "unknown type 5"},
      {R"({"type": ["string", "string"]})", "/type/1", "repeated"},
      {R"({"type": []})", "/type", "empty"},
      {R"({"enum": []})", "/enum", "non-empty array"},
      {R"({"properties": []})", "/properties", "must be an object"},
      {R"({"additionalProperties": "no"})", "/additionalProperties", "object or a boolean"},
      {R"({"items": [{"type": "string"}]})", "/items", "prefixItems"},
      {R"({"minLength": -1})", "/minLength", "non-negative integer"},
      {R"({"maxItems": 1.5})", "/maxItems", "non-negative integer"},
      {R"({"minProperties": "1"})", "/minProperties", "non-negative integer"},
      {R"({"uniqueItems": 1})", "/uniqueItems", "boolean"},
      {R"({"minimum": "0"})", "/minimum", "must be a number"},
      {R"({"exclusiveMaximum": true})", "/exclusiveMaximum", "must be a number"},
      {R"({"multipleOf": 0})", "/multipleOf", "greater than 0"},
      {R"({"pattern": 5})", "/pattern", "must be a string"},
      {R"({"allOf": []})", "/allOf", "non-empty array of schemas"},
      {R"({"anyOf": {}})", "/anyOf", "non-empty array of schemas"},
      {R"({"oneOf": [{"type": 1}]})", "/oneOf/0/type", "unknown type 1"},
      {R"({"not": 1})", "/not", "object or a boolean"},
      {R"({"title": 5})", "/title", "must be of type string"},
      {R"({"deprecated": "yes"})", "/deprecated", "must be of type boolean"},
  };
  for (const Case& c : cases) {
    INFO(c.schema);
    const SchemaError e = compile_error(c.schema);
    CHECK(e.pointer() == c.pointer);
    CHECK_THAT(e.what(), Contains(c.message) && Contains(c.pointer));
  }
}

TEST_CASE("an invalid regular expression is refused") {
  const SchemaError e = compile_error(R"({"properties": {"id": {"pattern": "([a-z"}}})");
  CHECK(e.pointer() == "/properties/id/pattern");
  CHECK_THAT(e.what(), Contains("invalid regular expression"));
}

TEST_CASE("unimplemented keywords are refused with their location") {
  for (const auto* keyword :
       {"$ref", "$defs", "if", "then", "else", "dependentSchemas", "dependentRequired", "patternProperties",
        "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains", "prefixItems"}) {
    INFO(keyword);
    const std::string schema = R"({"properties": {"a": {"items": {")" + std::string(keyword) + R"(": {}}}}})";
    const SchemaError e = compile_error(schema);
    const std::string pointer = "/properties/a/items/" + std::string(keyword);
    CHECK(e.pointer() == pointer);
    CHECK_THAT(e.what(), Contains(pointer) && Contains("\"" + std::string(keyword) + "\" is not supported"));
  }
}

TEST_CASE("unknown keywords are refused, x- extensions are not") {
  const SchemaError e = compile_error(R"({"properties": {"a": {"maxLenght": 3}}})");
  CHECK(e.pointer() == "/properties/a/maxLenght");
  CHECK_THAT(e.what(), Contains(R"(unknown keyword "maxLenght")"));
  CHECK_NOTHROW(Schema::compile(R"({"x-mcpauth-secret": true})"));
}
