// `mcpauth config schema [PLUGIN]` run as a user would, on the shipped plugins.
#include <catch2/catch.hpp>

#include "test_support.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <string>
#include <vector>

namespace {

using Result = mcpauth::test::CommandResult;
using Poco::JSON::Object;

const std::vector<std::string> kShippedIds = {"fernet_file", "manual_jwt", "memory", "none", "oauth21", "sqlite"};

Result run_mcpauth(const std::string& arguments, bool with_stderr = true) {
  return mcpauth::test::run_command(std::string(MCPAUTH_BINARY) + " " + arguments +
                                    (with_stderr ? " 2>&1" : " 2>/dev/null"));
}

std::string shipped(const std::string& arguments) {
  return std::string("--plugin-dir ") + SHIPPED_PLUGIN_DIR + " config schema " + arguments;
}

Object::Ptr parse_object(const std::string& text) { return Poco::JSON::Parser().parse(text).extract<Object::Ptr>(); }

// Paths of the properties, at any depth, that have no description.
void undescribed(const Object& schema, const std::string& prefix, std::vector<std::string>& out) {
  Object::Ptr properties = schema.getObject("properties");
  if (!properties) return;
  for (const auto& [name, value] : *properties) {
    const Object::Ptr field = properties->getObject(name);
    if (!field || field->optValue<std::string>("description", "").empty()) out.push_back(prefix + name);
    if (!field) continue;
    undescribed(*field, prefix + name + ".", out);
    if (Object::Ptr items = field->getObject("items")) undescribed(*items, prefix + name + "[].", out);
  }
}

}  // namespace

TEST_CASE("config schema prints the reference of every loaded plugin, sorted by id") {
  Result reference = run_mcpauth(shipped(""), false);
  REQUIRE(reference.exit_code == 0);
  CHECK_THAT(reference.output, Catch::StartsWith("# Plugin configuration reference\n"));
  size_t previous = 0;
  for (const std::string& id : kShippedIds) {
    const size_t at = reference.output.find("\n## `" + id + "`\n");
    CHECK(at != std::string::npos);
    CHECK(at > previous);
    previous = at;
  }
  CHECK_THAT(reference.output, Catch::Contains("| `busy_timeout_ms` | integer | no | `5000` | from 0 to 600000 |"));
  CHECK_THAT(reference.output,
             Catch::Contains("| `auth_type` | string | yes |  | one of `bearer`, `jwt`, `api_key` |"));
}

TEST_CASE("config schema PLUGIN prints that plugin's section alone") {
  Result section = run_mcpauth(shipped("oauth21"), false);
  REQUIRE(section.exit_code == 0);
  CHECK_THAT(section.output, Catch::StartsWith("## `oauth21`\n\nKind: auth. Version: `"));
  CHECK_THAT(section.output, Catch::Contains("| `refresh_margin_s` | integer | no | `60` | from 0 to 86400 |"));
  CHECK_THAT(section.output, !Catch::Contains("## `sqlite`") && !Catch::Contains("# Plugin configuration reference"));

  Result none = run_mcpauth(shipped("none"), false);
  CHECK_THAT(none.output, Catch::EndsWith("No settings: its config is `{}` or left out.\n"));
}

TEST_CASE("config schema --json prints the raw schemas") {
  Result one = run_mcpauth(shipped("--json sqlite"), false);
  REQUIRE(one.exit_code == 0);
  Object::Ptr sqlite = parse_object(one.output);
  CHECK(sqlite->getArray("required")->getElement<std::string>(0) == "path");
  CHECK(sqlite->getObject("properties")->getObject("lock_lease_ms")->getValue<int>("default") == 4000);

  Result all = run_mcpauth(shipped("--json"), false);
  REQUIRE(all.exit_code == 0);
  Object::Ptr by_id = parse_object(all.output);
  std::vector<std::string> ids;
  for (const auto& [id, schema] : *by_id) ids.push_back(id);
  CHECK(ids == kShippedIds);
}

TEST_CASE("every field of every shipped plugin is described") {
  Result all = run_mcpauth(shipped("--json"), false);
  REQUIRE(all.exit_code == 0);
  Object::Ptr by_id = parse_object(all.output);
  for (const std::string& id : kShippedIds) {
    INFO("plugin " << id);
    const Object::Ptr schema = by_id->getObject(id);
    REQUIRE(schema);
    std::vector<std::string> missing;
    undescribed(*schema, "", missing);
    CHECK(missing == std::vector<std::string>{});
  }
}

TEST_CASE("config schema with an unknown plugin is a usage error listing the loaded ones") {
  Result unknown = run_mcpauth(shipped("oauth2"));
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output,
             Catch::Contains("no plugin 'oauth2' is loaded (loaded: fernet_file, manual_jwt, memory, none, oauth21, "
                             "sqlite)"));

  Result extra = run_mcpauth(shipped("sqlite memory"));
  CHECK(extra.exit_code == 2);
  CHECK_THAT(extra.output, Catch::Contains("usage: mcpauth config check | mcpauth config schema [PLUGIN]"));
}

TEST_CASE("without --plugin-dir, config schema loads the plugins the configuration names") {
  mcpauth::test::TempDir dir("config-schema");
  std::ofstream(dir / "mcp.json") << R"({"mcpauth": {"plugin_dirs": [")" << SHIPPED_PLUGIN_DIR << R"("]}})";
  Result section = run_mcpauth("--config " + (dir / "mcp.json").string() + " config schema memory", false);
  CHECK(section.exit_code == 0);
  CHECK_THAT(section.output, Catch::StartsWith("## `memory`\n"));

  Result missing = run_mcpauth("--config " + (dir / "absent.json").string() + " config schema");
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("absent.json"));
}
