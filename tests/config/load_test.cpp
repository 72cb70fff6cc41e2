// Finding files: --config, defaults + overrides merging, ambiguity, nothing found, and the
// shipped default configuration.
#include "support.h"

#include <filesystem>

using namespace mcpauth::config;
using namespace mcpauth::config::test;

namespace {

Config load_dir(const std::string& dir) {
  LoadOptions opts = options();
  opts.config_dir = dir;
  return load_config(opts);
}

}  // namespace

TEST_CASE("overrides merge over defaults", "[load][merge]") {
  const std::string dir = fixture("merge");
  const Config c = load_dir(dir);
  CHECK(c.files == std::vector<std::string>{dir + "/defaults/mcp.json", dir + "/overrides/mcp.yaml"});

  SECTION("settings merge key by key; plugin_dirs is replaced and relative to its own file") {
    CHECK(c.settings.listen == "127.0.0.1:8000");
    CHECK(c.settings.admin_group == "ops");
    CHECK(c.settings.plugin_dirs == std::vector<std::string>{dir + "/overrides/extra"});
    REQUIRE(c.settings.default_storage);
    CHECK(c.settings.default_storage->plugin == "sqlite");
    CHECK(json(c.settings.default_storage->config) == R"({"path":"/other/tokens.db","timeout_ms":500})");
  }
  SECTION("null removes a server; untouched servers stay as they were") {
    std::vector<std::string> names;
    for (const auto& s : c.servers) names.push_back(s.name);
    CHECK(names == std::vector<std::string>{"added", "changed", "kept"});
    CHECK(server(c, "kept").groups == std::vector<std::string>{"a", "b"});
    CHECK(server(c, "kept").description == "from defaults");
    CHECK(server(c, "kept").source_file == dir + "/defaults/mcp.json");
  }
  SECTION("a changed server: scalars and lists replace, objects merge, null removes a key") {
    const auto& s = server(c, "changed");
    CHECK(s.enabled);
    CHECK(s.url == "https://changed.example.com/mcp");
    CHECK(s.groups == std::vector<std::string>{"c"});
    CHECK(s.auth.plugin == "oauth21");
    CHECK(json(s.auth.config) == R"({"client_name":"Overrides","scopes":["read"]})");
    CHECK(s.source_file == dir + "/overrides/mcp.yaml");
  }
  SECTION("a server only in overrides") {
    CHECK(server(c, "added").command == "tool");
    CHECK(server(c, "added").storage.plugin == "sqlite");
  }
}

TEST_CASE("an error in overrides names the overrides file", "[load][merge]") {
  const std::string dir = fixture("merge_error");
  const auto e = error_of([&] { load_dir(dir); });
  CHECK(e.file() == dir + "/overrides/mcp.yml");
  CHECK(e.server() == "a");
  CHECK(e.field() == "groups[1]");
  CHECK(e.problem() == "must not be empty");
}

TEST_CASE("a field required after merging names the file the server last came from", "[load][merge]") {
  const std::string dir = fixture("merge_required");
  const auto e = error_of([&] { load_dir(dir); });
  CHECK(std::string(e.what()) ==
        dir + "/overrides/mcp.json: server 'a': field 'command': required for transport 'stdio'");
}

TEST_CASE("a null server is only allowed in an overrides file", "[load][merge]") {
  LoadOptions opts = options();
  opts.config_file = fixture("merge/overrides/mcp.yaml");
  const auto e = error_of([&] { load_config(opts); });
  CHECK(e.file() == *opts.config_file);
  CHECK(e.server() == "removed");
  CHECK(e.problem() == "must be an object, got null");
}

TEST_CASE("defaults are optional when overrides exist", "[load]") {
  const Config c = load_dir(fixture("only_overrides"));
  CHECK(c.files == std::vector<std::string>{fixture("only_overrides") + "/overrides/mcp.yaml"});
  REQUIRE(c.servers.size() == 1);
  CHECK(c.servers[0].name == "solo");
}

TEST_CASE("two formats in one directory are ambiguous", "[load]") {
  const auto e = error_of([&] { load_dir(fixture("ambiguous")); });
  CHECK(e.file() == fixture("ambiguous") + "/defaults");
  CHECK(e.problem() == "ambiguous configuration: both mcp.json and mcp.yml exist; keep only one");
}

TEST_CASE("nothing found says where it looked", "[load]") {
  const std::string dir = fixture("does-not-exist");
  const auto e = error_of([&] { load_dir(dir); });
  CHECK(std::string(e.what()) == "no configuration file found: looked for mcp.json, mcp.yaml and mcp.yml in " + dir +
                                     "/defaults and " + dir + "/overrides");
}

TEST_CASE("--config reads only that file", "[load]") {
  LoadOptions opts = options();
  opts.config_dir = fixture("merge");  // ignored
  opts.config_file = fixture("only_overrides/overrides/mcp.yaml");
  const Config c = load_config(opts);
  CHECK(c.files == std::vector<std::string>{*opts.config_file});
  REQUIRE(c.servers.size() == 1);
  CHECK(c.servers[0].source_file == *opts.config_file);

  SECTION("an unknown extension is an error") {
    opts.config_file = fixture("valid/full.toml");
    const auto e = error_of([&] { load_config(opts); });
    CHECK(e.file() == *opts.config_file);
    CHECK(e.problem() == "unsupported file extension (use .json, .yaml or .yml)");
  }
  SECTION("a missing file is an error") {
    opts.config_file = fixture("valid/missing.json");
    const auto e = error_of([&] { load_config(opts); });
    CHECK(e.file() == *opts.config_file);
    CHECK(e.problem() == "cannot open: No such file or directory");
  }
  SECTION("a directory is an error") {
    const auto dir = std::filesystem::temp_directory_path() / "mcpauth-config-test-dir.json";
    std::filesystem::create_directories(dir);
    opts.config_file = dir.string();
    const auto e = error_of([&] { load_config(opts); });
    std::filesystem::remove(dir);
    CHECK(e.file() == dir.string());
    CHECK(e.problem() == "cannot read: is a directory");
  }
}

TEST_CASE("the shipped config/defaults/mcp.json loads", "[load][shipped]") {
  SECTION("found through the search order") {
    LoadOptions opts = options();
    opts.config_dir = source_dir() + "/config";
    CHECK(load_config(opts).files.at(0) == source_dir() + "/config/defaults/mcp.json");
  }
  SECTION("its content, with no warnings even in strict mode") {
    LoadOptions opts = options();
    opts.config_file = source_dir() + "/config/defaults/mcp.json";
    opts.strict = true;
    const Config c = load_config(opts);
    CHECK(c.warnings.empty());
    CHECK(c.settings.listen == "127.0.0.1:8000");
    CHECK(c.settings.admin_group == "admin");
    // Out of the box, on a laptop without a proxy: the page works for a local admin.
    CHECK(c.settings.mode == "development");
    CHECK(c.settings.dev_user == "admin@localhost");
    CHECK(c.settings.user_groups.at("admin@localhost") == std::vector<std::string>{"admin", "users"});
    REQUIRE(c.settings.default_storage);
    CHECK(c.settings.default_storage->plugin == "sqlite");
    CHECK(json(c.settings.default_storage->config) == R"({"path":"/home/tester/.local/share/mcpauth/tokens.db"})");
    CHECK(c.servers.size() == 2);
    for (const auto& s : c.servers) {
      INFO(s.name);
      CHECK(s.storage.plugin == "sqlite");
    }
    CHECK_FALSE(server(c, "example-oauth").enabled);  // its URL is a placeholder: nothing to sign in to
    CHECK(server(c, "example-jwt").enabled);
    CHECK(server(c, "example-oauth").auth.plugin == "oauth21");
    CHECK(server(c, "example-jwt").auth.plugin == "manual_jwt");
  }
}
