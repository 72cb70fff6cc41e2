// ${VAR} and ~ expansion.
#include "support.h"

#include <filesystem>

using namespace mcpauth::config;
using namespace mcpauth::config::test;

TEST_CASE("${VAR} as a whole string value is expanded everywhere", "[expand][env]") {
  const LoadOptions opts = options({{"URL", "https://env.example.com/mcp"},
                                    {"TOKEN", "tok"},
                                    {"GROUP", "ops"},
                                    {"SECRET", "sec"},
                                    {"DB", "/env/tokens.db"},
                                    {"LISTEN", "0.0.0.0:1234"}});
  const Config c = parse(R"({
        "mcpauth": {"listen": "${LISTEN}", "default_storage": {"plugin": "sqlite", "config": {"path": "${DB}"}}},
        "s": {"url": "${URL}", "auth_type": "bearer", "auth_token": "${TOKEN}", "groups": ["a", "${GROUP}"],
              "description": "Bearer ${TOKEN}"},
        "o": {"url": "https://o.example.com", "oauth_config": {"enabled": true, "client_secret": "${SECRET}",
              "additional_metadata": {"nested": ["${GROUP}"]}}}})",
                         Format::Json, opts);
  CHECK(c.settings.listen == "0.0.0.0:1234");
  CHECK(json(c.settings.default_storage->config) == R"({"path":"/env/tokens.db"})");
  const auto& s = server(c, "s");
  CHECK(s.url == "https://env.example.com/mcp");
  CHECK(json(s.auth.config) == R"({"auth_token":"tok","auth_type":"bearer"})");
  CHECK(s.groups == std::vector<std::string>{"a", "ops"});
  CHECK(s.description == "Bearer ${TOKEN}");  // partial strings are left alone
  CHECK(json(server(c, "o").auth.config) ==
        R"({"additional_metadata":{"nested":["ops"]},"client_name":"Atlas UI 3","client_secret":"sec"})");
}

TEST_CASE("a missing variable names file, server and field, not the value", "[expand][env]") {
  const auto e = parse_error(R"({"s": {"url": "https://s.example.com",
                                         "oauth_config": {"enabled": true, "client_secret": "${CLIENT_SECRET}"}}})");
  CHECK(e.file() == "test.json");
  CHECK(e.server() == "s");
  CHECK(e.field() == "oauth_config.client_secret");
  CHECK(std::string(e.what()) ==
        "test.json: server 's': field 'oauth_config.client_secret': environment variable 'CLIENT_SECRET' is not set");

  SECTION("inside a list") {
    CHECK(parse_error(R"({"s": {"url": "https://s.example.com", "groups": ["a", "${G}"]}})").field() == "groups[1]");
  }
  SECTION("in the settings") {
    const auto settings_error = parse_error(R"({"mcpauth": {"admin_group": "${ADMIN}"}})");
    CHECK(settings_error.server().empty());
    CHECK(settings_error.field() == "mcpauth.admin_group");
  }
  SECTION("in a disabled server too") {
    CHECK(parse_error(R"({"s": {"enabled": false, "url": "${U}"}})").field() == "url");
  }
}

TEST_CASE("strings that only look like variables are left alone", "[expand][env]") {
  const Config c =
      parse(R"({"s": {"url": "https://s.example.com", "groups": ["${}", "${1X}", "${A B}", "$X", "{X}"]}})");
  CHECK(c.servers[0].groups == std::vector<std::string>{"${}", "${1X}", "${A B}", "$X", "{X}"});
}

TEST_CASE("an expanded value is a string and is validated as one", "[expand][env]") {
  const auto e = parse_error(R"({"s": {"url": "${U}"}})", Format::Json, options({{"U", "ftp://x"}}));
  CHECK(e.field() == "url");
  CHECK(e.problem() == "must be an http:// or https:// URL with a host");
}

TEST_CASE("~ expands to the home directory in path values", "[expand][tilde]") {
  const Config c = parse(R"({
        "mcpauth": {"plugin_dirs": ["~/plugins", "~", "/abs", "rel/dir"]},
        "o": {"url": "https://o.example.com", "oauth_config": {"token_storage_path": "~/.atlas-ui-3/oauth-tokens/o"}},
        "x": {"url": "https://x.example.com",
              "auth": {"plugin": "p", "config": {"path": "~/a", "key_path": "~/b", "cache_dir": "~/c",
                                                 "key_file": "~/k", "nested": {"path": "~"}, "other": "~/d", "path_list": "~/e",
                                                 "user_path": "~bob/f"}}}})");
  const std::string cwd = std::filesystem::current_path().string();
  CHECK(c.settings.plugin_dirs ==
        std::vector<std::string>{"/home/tester/plugins", "/home/tester", "/abs", cwd + "/rel/dir"});
  CHECK(json(server(c, "o").storage.config) == R"({"path":"/home/tester/.atlas-ui-3/oauth-tokens/o"})");
  CHECK(json(server(c, "x").auth.config) ==
        R"({"cache_dir":"/home/tester/c","key_file":"/home/tester/k","key_path":"/home/tester/b",)"
        R"("nested":{"path":"/home/tester"},)"
        R"("other":"~/d","path":"/home/tester/a","path_list":"~/e","user_path":"~bob/f"})");
}

TEST_CASE("~ with no home directory is an error", "[expand][tilde]") {
  const auto e =
      parse_error(R"({"o": {"url": "https://o.example.com", "storage": {"plugin": "p", "config": {"path": "~/x"}}}})",
                  Format::Json, options({}, ""));
  CHECK(e.server() == "o");
  CHECK(e.field() == "storage.config.path");
  CHECK(e.problem() == "cannot expand '~': the home directory is unknown (HOME is not set)");

  SECTION("HOME from the environment is used when no home is given") {
    const Config c = parse(R"({"mcpauth": {"plugin_dirs": ["~/p"]}})", Format::Json, options({{"HOME", "/h"}}, ""));
    CHECK(c.settings.plugin_dirs == std::vector<std::string>{"/h/p"});
  }
}
