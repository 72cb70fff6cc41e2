// JSON and YAML files: the valid fixture in both formats, YAML scalar typing, and every
// invalid fixture's error.
#include "support.h"

using namespace mcpauth::config;
using namespace mcpauth::config::test;

namespace {

Config load_file(const std::string& path) {
  LoadOptions opts = options();
  opts.config_file = path;
  return load_config(opts);
}

}  // namespace

TEST_CASE("the full fixture loads with every field", "[formats]") {
  const Config c = load_file(fixture("valid/full.json"));
  CHECK(c.files == std::vector<std::string>{fixture("valid/full.json")});
  CHECK(c.warnings.empty());
  CHECK(c.settings.listen == "0.0.0.0:9000");
  CHECK(c.settings.admin_group == "ops");
  CHECK(c.settings.plugin_dirs == std::vector<std::string>{fixture("valid/plugins"), "/opt/mcpauth/plugins"});
  REQUIRE(c.settings.default_storage);
  CHECK(c.settings.default_storage->plugin == "sqlite");
  CHECK(json(c.settings.default_storage->config) == R"({"path":"/var/lib/mcpauth/tokens.db"})");

  std::vector<std::string> names;
  for (const auto& s : c.servers) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"explicit", "jwt-server", "key-server", "local-tool", "oauth-server"});

  const auto& oauth = server(c, "oauth-server");
  CHECK(oauth.url == "https://oauth.example.com/mcp");
  CHECK(oauth.transport == "http");  // streamable-http is an alias
  CHECK(oauth.groups == std::vector<std::string>{"users", "admin"});
  CHECK(oauth.description == "OAuth with a token store");
  CHECK(oauth.enabled);
  CHECK(oauth.source_file == fixture("valid/full.json"));
  CHECK(oauth.auth.plugin == "oauth21");
  CHECK(json(oauth.auth.config) == R"({"additional_metadata":{"contacts":["ops@example.com"]},"callback_port":8765,)"
                                   R"("client_id":"client-1","client_name":"Atlas UI 3","scopes":["read","write"]})");
  CHECK(oauth.storage.plugin == "fernet_file");
  CHECK(json(oauth.storage.config) == R"({"path":"/var/lib/atlas/oauth-tokens/oauth-server"})");

  const auto& jwt = server(c, "jwt-server");
  CHECK(jwt.transport == "sse");
  CHECK(jwt.groups.empty());
  CHECK(jwt.auth.plugin == "manual_jwt");
  CHECK(json(jwt.auth.config) == R"({"auth_token":"a.b.c","auth_type":"jwt"})");
  CHECK(jwt.storage.plugin == "sqlite");  // the default storage

  CHECK_FALSE(server(c, "key-server").enabled);  // kept, not skipped

  const auto& tool = server(c, "local-tool");
  CHECK(tool.transport == "stdio");
  CHECK(tool.url.empty());
  CHECK(tool.command == "python3");
  CHECK(tool.args == std::vector<std::string>{"-m", "tool", "--port", "1"});
  CHECK(tool.cwd == "/srv/tool");
  CHECK(tool.env == std::map<std::string, std::string>{{"EMPTY", ""}, {"MODE", "test"}});
  CHECK(tool.auth.plugin == "none");
  CHECK(json(tool.auth.config) == "{}");
}

TEST_CASE("the same configuration in YAML gives an equal Config", "[formats]") {
  const Config from_json = load_file(fixture("valid/full.json"));
  const Config from_yaml = load_file(fixture("valid/full.yaml"));
  CHECK(dump(from_yaml.settings) == dump(from_json.settings));
  REQUIRE(from_yaml.servers.size() == from_json.servers.size());
  for (std::size_t i = 0; i < from_json.servers.size(); ++i) {
    CHECK(dump(from_yaml.servers[i]) == dump(from_json.servers[i]));
  }
  CHECK(from_yaml.warnings == from_json.warnings);
}

TEST_CASE("YAML scalars: quoted stay strings, plain ones are typed", "[formats][yaml]") {
  SECTION("quoted true is a string, so not a boolean") {
    const auto e = parse_error("a:\n  url: https://a.example.com\n  enabled: \"true\"\n", Format::Yaml);
    CHECK(e.field() == "enabled");
    CHECK(e.problem() == "must be a boolean (true or false), got string");
  }
  SECTION("plain true/false are booleans, yes is not") {
    CHECK_FALSE(parse("a:\n  url: https://a.example.com\n  enabled: false\n", Format::Yaml).servers[0].enabled);
    CHECK(parse_error("a:\n  url: https://a.example.com\n  enabled: yes\n", Format::Yaml).problem() ==
          "must be a boolean (true or false), got string");
  }
  SECTION("plain integers are integers, quoted ones strings") {
    const auto c =
        parse("a:\n  url: https://a.example.com\n  oauth_config: {enabled: true, callback_port: 8080}\n", Format::Yaml);
    CHECK(json(c.servers[0].auth.config) == R"({"callback_port":8080,"client_name":"Atlas UI 3"})");
    const auto e =
        parse_error("a:\n  url: https://a.example.com\n  oauth_config: {callback_port: '8080'}\n", Format::Yaml);
    CHECK(e.field() == "oauth_config.callback_port");
  }
  SECTION("null, ~ and an empty value are null, which counts as absent") {
    const auto c = parse("a:\n  url: https://a.example.com\n  description: ~\n  groups: null\n  cwd:\n", Format::Yaml);
    CHECK(c.servers[0].description.empty());
    CHECK(c.servers[0].groups.empty());
  }
  SECTION("a plain number in a list of strings is an error naming the index") {
    const auto e = parse_error("a:\n  transport: stdio\n  command: x\n  args: [--port, 8080]\n", Format::Yaml);
    CHECK(e.field() == "args[1]");
    CHECK(e.problem() == "must be a string, got integer");
  }
  SECTION("non-string mapping keys are rejected with a position") {
    const auto e = parse_error("? [a, b]\n: {url: https://a.example.com}\n", Format::Yaml);
    CHECK(e.problem() == "invalid YAML at line 1, column 3: mapping keys must be strings");
  }
  SECTION("a self-referencing alias is bounded") {
    const auto e = parse_error("a: &x [1, *x]\n", Format::Yaml);
    CHECK(e.problem().find("invalid YAML") == 0);
  }
  SECTION("an empty document is not an object") {
    CHECK(parse_error("# nothing\n", Format::Yaml).problem().ends_with("got null"));
  }
}

TEST_CASE("JSON values are checked by type and range", "[formats]") {
  const std::string url = R"("url": "https://a.example.com")";
  auto field_error = [&](const std::string& fields) {
    const auto e = parse_error(R"({"a": {)" + url + ", " + fields + "}}");
    return e.field() + ": " + e.problem();
  };
  CHECK(field_error(R"("oauth_config": {"callback_port": true})") ==
        "oauth_config.callback_port: must be an integer from 1 to 65535, or null");
  CHECK(field_error(R"("oauth_config": {"callback_port": 80.5})") ==
        "oauth_config.callback_port: must be an integer from 1 to 65535, or null");
  CHECK(field_error(R"("oauth_config": {"callback_port": 18446744073709551615})") ==
        "oauth_config.callback_port: must be an integer from 1 to 65535, or null");
  CHECK(field_error(R"("enabled": 1)") == "enabled: must be a boolean (true or false), got integer");
  CHECK(field_error(R"("env": {"A": null, "B": 1})") == "env.B: must be a string, got integer");
  CHECK(field_error(R"("oauth_config": {"additional_metadata": "x"})") ==
        "oauth_config.additional_metadata: must be an object, got string");
  CHECK(parse_error(R"({"a": {"url": "https://exa mple.com"}})").field() == "url");
  CHECK(parse_error(R"({"a": {"url": "http://"}})").field() == "url");
  CHECK(parse_error(R"({"mcpauth": {"default_storage": {"config": {}}}})").field() == "mcpauth.default_storage.plugin");
  CHECK(parse_error(R"({"mcpauth": {"listen": "host:0"}})").field() == "mcpauth.listen");
  CHECK(parse(R"({"mcpauth": {"listen": "[::1]:65535"}})").settings.listen == "[::1]:65535");
  CHECK(parse("\xEF\xBB\xBF{}").servers.empty());  // a byte order mark is skipped
}

TEST_CASE("JSON nesting is bounded", "[formats]") {
  const auto e = parse_error(R"({"a": {"url": "https://a.example.com", "auth": {"plugin": "x", "config": )" +
                             std::string(100, '[') + std::string(100, ']') + "}}}");
  CHECK(e.problem() == "invalid JSON: Maximum depth exceeded");
}

TEST_CASE("every invalid fixture gives a one-line error naming file, server and field", "[formats][errors]") {
  struct Case {
    const char* file;
    const char* server;
    const char* field;
    const char* problem;  // a part of it
  };
  const Case cases[] = {
      {"syntax.json", "", "", "invalid JSON: "},
      {"syntax.yaml", "", "", "invalid YAML at line 4, column 1: end of sequence flow not found"},
      {"top_level_array.json", "", "", "the top level must be an object of server name -> server settings, got array"},
      {"top_level_list.yaml", "", "", "got array"},
      {"server_not_object.json", "a", "", "must be an object, got string"},
      {"url_number.json", "a", "url", "must be a string, got integer"},
      {"enabled_string.yaml", "a", "enabled", "must be a boolean (true or false), got string"},
      {"groups_string.json", "a", "groups", "must be a list, got string"},
      {"groups_item.yaml", "a", "groups[1]", "must be a string, got integer"},
      {"empty_url.json", "a", "url", "must not be empty"},
      {"bad_scheme.yaml", "a", "url", "must be an http:// or https:// URL with a host"},
      {"bad_transport.json", "a", "transport", "must be one of: http, sse, stdio, streamable-http"},
      {"bad_auth_type.yaml", "a", "auth_type", "must be one of: none, bearer, jwt, api_key, oauth"},
      {"bad_name.json", "bad name!", "", "invalid server name"},
      {"bad_port.yaml", "a", "oauth_config.callback_port", "must be an integer from 1 to 65535, or null"},
      {"missing_url.json", "a", "url", "required for transport 'sse'"},
      {"stdio_no_command.yaml", "tool", "command", "required for transport 'stdio'"},
      {"bad_plugin_id.json", "a", "auth.plugin", "must be a plugin id"},
      {"bad_listen.yaml", "", "mcpauth.listen", "must be host:port"},
      {"reserved_name.json", "", "mcpauth", "'mcpauth' is reserved for settings"},
      {"null_server.json", "a", "", "must be an object, got null"},
      {"bad_scopes.json", "a", "oauth_config.scopes",
       "must be a space-separated string or a list of strings, got integer"},
      {"storage_no_plugin.yaml", "a", "storage.plugin", "required"},
      {"env_not_string.yml", "a", "env.PORT", "must be a string, got integer"},
  };
  for (const auto& c : cases) {
    const std::string path = fixture(std::string("invalid/") + c.file);
    INFO(path);
    const ConfigError e = error_of([&] { load_file(path); });
    const std::string what = e.what();
    INFO(what);
    CHECK(e.file() == path);
    CHECK(e.server() == c.server);
    CHECK(e.field() == c.field);
    CHECK(e.problem().find(c.problem) != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
    CHECK(what.starts_with(path + ": "));
    if (*c.server) CHECK(what.find(std::string("server '") + c.server + "'") != std::string::npos);
    if (*c.field) CHECK(what.find(std::string("field '") + c.field + "'") != std::string::npos);
    CHECK(what.find("s3cr3t") == std::string::npos);  // values are never echoed
  }
}

TEST_CASE("names with control characters are escaped, long ones truncated", "[formats][errors]") {
  const auto e = parse_error("{\"bad\\nname\": {}}");
  CHECK(e.server() == "bad\nname");
  CHECK(std::string(e.what()) ==
        "test.json: server 'bad\\x0aname': invalid server name: use 1-64 characters of "
        "A-Z, a-z, 0-9, _, . and -, starting with a letter or digit");
  const auto long_name = parse_error("{\"" + std::string(65, 'a') + "\": {}}");
  CHECK(std::string(long_name.what()).find("server '" + std::string(64, 'a') + "...'") != std::string::npos);
  CHECK(parse_error(R"({"-a": {}})").problem().starts_with("invalid server name"));
  CHECK(parse(R"({"A.b_c-9": {"url": "https://x.example"}})").servers[0].name == "A.b_c-9");
}
