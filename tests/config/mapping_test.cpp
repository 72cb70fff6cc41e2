// Atlas fields -> auth and storage plugins, the explicit form, and unknown keys.
#include "support.h"

using namespace mcpauth::config;
using namespace mcpauth::config::test;

namespace {

// One server "s" with the given fields after its url.
Config one(const std::string& fields, const LoadOptions& opts = options()) {
  return parse(R"({"s": {"url": "https://s.example.com/mcp")" + (fields.empty() ? "" : ", " + fields) + "}}",
               Format::Json, opts);
}

std::string auth_of(const std::string& fields) {
  const auto s = one(fields).servers.at(0);
  return s.auth.plugin + json(s.auth.config);
}

std::string storage_of(const std::string& fields, const LoadOptions& opts = options()) {
  const auto s = one(fields, opts).servers.at(0);
  return s.storage.plugin + json(s.storage.config);
}

}  // namespace

TEST_CASE("auth_type maps to an auth plugin", "[mapping]") {
  CHECK(auth_of("") == "none{}");
  CHECK(auth_of(R"("auth_type": "none", "auth_token": "t")") == "none{}");
  CHECK(auth_of(R"("auth_type": "bearer", "auth_token": "t")") ==
        R"(manual_jwt{"auth_token":"t","auth_type":"bearer"})");
  CHECK(auth_of(R"("auth_type": "jwt")") == R"(manual_jwt{"auth_type":"jwt"})");
  CHECK(auth_of(R"("auth_type": "jwt", "auth_header": "X-Token")") ==
        R"(manual_jwt{"auth_header":"X-Token","auth_type":"jwt"})");
  CHECK(auth_of(R"("auth_type": "api_key", "auth_token": "k")") ==
        R"(manual_jwt{"auth_header":"X-API-Key","auth_token":"k","auth_type":"api_key"})");
  CHECK(auth_of(R"("auth_type": "api_key", "auth_header": "X-Key")") ==
        R"(manual_jwt{"auth_header":"X-Key","auth_type":"api_key"})");
}

TEST_CASE("OAuth maps to oauth21", "[mapping][oauth]") {
  SECTION("auth_type oauth alone") {
    CHECK(auth_of(R"("auth_type": "oauth")") == R"(oauth21{"client_name":"Atlas UI 3"})");
  }
  SECTION("oauth_config.enabled without auth_type; enabled and token_storage_path are left out") {
    CHECK(auth_of(R"("oauth_config": {"enabled": true, "client_name": "Mine", "callback_port": null,
                          "token_storage_path": "/t", "client_secret": "sec"})") ==
          R"(oauth21{"client_name":"Mine","client_secret":"sec"})");
  }
  SECTION("oauth_config present but disabled is not OAuth") {
    CHECK(auth_of(R"("oauth_config": {"enabled": false, "scopes": "a"})") == "none{}");
  }
  SECTION("auth_type oauth with oauth_config disabled is OAuth") {
    CHECK(auth_of(R"("auth_type": "oauth", "oauth_config": {"enabled": false, "scopes": "a"})") ==
          R"(oauth21{"client_name":"Atlas UI 3","scopes":["a"]})");
  }
  SECTION("scopes: a space-separated string and a list give the same list") {
    const auto from_string = auth_of(R"("auth_type": "oauth", "oauth_config": {"scopes": " read  write\tadmin "})");
    const auto from_list = auth_of(R"("auth_type": "oauth", "oauth_config": {"scopes": ["read", "write", "admin"]})");
    CHECK(from_string == R"(oauth21{"client_name":"Atlas UI 3","scopes":["read","write","admin"]})");
    CHECK(from_list == from_string);
    CHECK(auth_of(R"("auth_type": "oauth", "oauth_config": {"scopes": ""})") ==
          R"(oauth21{"client_name":"Atlas UI 3","scopes":[]})");
  }
  SECTION("a bearer auth_type next to enabled OAuth is ignored with a warning") {
    const Config c = one(R"("auth_type": "bearer", "oauth_config": {"enabled": true})");
    CHECK(c.servers[0].auth.plugin == "oauth21");
    CHECK(c.warnings ==
          std::vector<std::string>{"test.json: server 's': field 'auth_type': ignored: oauth_config.enabled is true, "
                                   "so the server uses OAuth"});
  }
  SECTION("unknown oauth_config keys pass through to the plugin with a warning") {
    const Config c = one(R"("oauth_config": {"enabled": true, "resource": "https://r"})");
    CHECK(json(c.servers[0].auth.config) == R"({"client_name":"Atlas UI 3","resource":"https://r"})");
    CHECK(c.warnings == std::vector<std::string>{"test.json: server 's': unknown key 'oauth_config.resource' "
                                                 "(passed to the oauth21 plugin)"});
  }
}

TEST_CASE("storage: explicit, token_storage_path, default storage, memory", "[mapping][storage]") {
  CHECK(storage_of("") == "memory{}");
  CHECK(storage_of(R"("oauth_config": {"token_storage_path": "/var/tokens/s"})") ==
        R"(fernet_file{"path":"/var/tokens/s"})");
  CHECK(storage_of(R"("oauth_config": {"token_storage_path": null})") == "memory{}");
  CHECK(storage_of(R"("storage": {"plugin": "sqlite", "config": {"path": "/db"}})") == R"(sqlite{"path":"/db"})");

  const std::string with_default =
      R"({"mcpauth": {"default_storage": {"plugin": "sqlite", "config": {"path": "/d.db"}}},
            "a": {"url": "https://a.example.com"},
            "b": {"url": "https://b.example.com", "oauth_config": {"token_storage_path": "/t"}}})";
  const Config c = parse(with_default);
  CHECK(server(c, "a").storage.plugin + json(server(c, "a").storage.config) == R"(sqlite{"path":"/d.db"})");
  CHECK(server(c, "b").storage.plugin == "fernet_file");
  // Each server gets its own copy of the default config.
  CHECK(server(c, "a").storage.config.get() != c.settings.default_storage->config.get());
}

TEST_CASE("a mapped encrypted store of a JWT server uses JWT_STORAGE_ENCRYPTION_KEY", "[mapping][storage]") {
  const std::string text =
      R"({"mcpauth": {"default_storage": {"plugin": "sqlite", "config": {"path": "/d.db"}}},
            "jwt": {"url": "https://a.example.com", "auth_type": "jwt"},
            "jwt-file": {"url": "https://a.example.com", "auth_type": "bearer",
                         "oauth_config": {"token_storage_path": "/t"}},
            "jwt-explicit": {"url": "https://a.example.com", "auth_type": "jwt",
                             "storage": {"plugin": "sqlite", "config": {"path": "/e.db"}}},
            "oauth": {"url": "https://b.example.com", "auth_type": "oauth"}})";
  const Config c = parse(text);
  CHECK(json(server(c, "jwt").storage.config) ==
        R"({"encryption_key_env":"JWT_STORAGE_ENCRYPTION_KEY","path":"/d.db"})");
  CHECK(json(server(c, "jwt-file").storage.config) ==
        R"({"encryption_key_env":"JWT_STORAGE_ENCRYPTION_KEY","path":"/t"})");
  CHECK(json(server(c, "jwt-explicit").storage.config) == R"({"path":"/e.db"})");
  CHECK(json(server(c, "oauth").storage.config) == R"({"path":"/d.db"})");
}

TEST_CASE("Atlas UI display fields are accepted without a warning", "[mapping][unknown]") {
  const Config c = one(R"("short_description": "x", "author": "a", "help_email": "h@example.com",
        "info_url": "https://i", "logo_url": "https://l", "compliance_level": "Public", "is_exclusive": false,
        "require_approval": ["t"], "allow_edit": ["t"])");
  CHECK(c.warnings.empty());
}

TEST_CASE("the explicit form", "[mapping][explicit]") {
  SECTION("auth and storage with config") {
    const Config c = one(R"("auth": {"plugin": "oauth21", "config": {"scopes": ["x"], "anything": {"goes": 1}}},
                                "storage": {"plugin": "fernet_file", "config": {"path": "/p"}})");
    CHECK(c.servers[0].auth.plugin + json(c.servers[0].auth.config) ==
          R"(oauth21{"anything":{"goes":1},"scopes":["x"]})");
    CHECK(c.servers[0].storage.plugin == "fernet_file");
    CHECK(c.warnings.empty());  // no Atlas fields, and keys inside config are the plugin's business
  }
  SECTION("config is optional and never null") {
    const Config c = one(R"("auth": {"plugin": "none"}, "storage": {"plugin": "memory", "config": null})");
    REQUIRE(c.servers[0].auth.config);
    CHECK(json(c.servers[0].auth.config) == "{}");
    REQUIRE(c.servers[0].storage.config);
    CHECK(json(c.servers[0].storage.config) == "{}");
  }
  SECTION("explicit wins over Atlas fields that map elsewhere, with a warning") {
    const Config c = one(R"("auth_type": "jwt", "auth": {"plugin": "my_auth"})");
    CHECK(c.servers[0].auth.plugin == "my_auth");
    CHECK(c.warnings == std::vector<std::string>{"test.json: server 's': explicit auth plugin 'my_auth' is used; "
                                                 "the Atlas auth fields (which map to 'manual_jwt') are ignored"});
  }
  SECTION("no warning when the Atlas fields map to the same plugin") {
    const Config c = one(R"("auth_type": "jwt", "auth": {"plugin": "manual_jwt", "config": {"auth_type": "jwt"}})");
    CHECK(c.warnings.empty());
  }
  SECTION("explicit storage next to token_storage_path warns") {
    const Config c = one(R"("oauth_config": {"token_storage_path": "/t"}, "storage": {"plugin": "sqlite"})");
    CHECK(c.servers[0].storage.plugin == "sqlite");
    CHECK(c.warnings == std::vector<std::string>{"test.json: server 's': explicit storage plugin 'sqlite' is "
                                                 "used; oauth_config.token_storage_path is ignored"});
  }
  SECTION("a plugin config that is not an object") {
    const auto e = parse_error(R"({"s": {"url": "https://s.example.com", "auth": {"plugin": "x", "config": []}}})");
    CHECK(e.field() == "auth.config");
    CHECK(e.problem() == "must be an object, got array");
  }
}

TEST_CASE("unknown keys warn, or fail in strict mode", "[mapping][unknown]") {
  const std::string text = R"({"mcpauth": {"colour": "blue"},
        "s": {"url": "https://s.example.com", "short_descriptio": "x",
              "auth": {"plugin": "none", "extra": 1, "config": {"free": "form"}}}})";
  SECTION("warnings name file, server and key") {
    const Config c = parse(text);
    CHECK(c.warnings == std::vector<std::string>{
                            "test.json: unknown key 'mcpauth.colour' (ignored)",
                            "test.json: server 's': unknown key 'auth.extra' (ignored)",
                            "test.json: server 's': unknown key 'short_descriptio' (ignored)",
                        });
  }
  SECTION("strict mode fails on the first one") {
    LoadOptions opts = options();
    opts.strict = true;
    const auto e = parse_error(text, Format::Json, opts);
    CHECK(std::string(e.what()) == "test.json: field 'mcpauth.colour': unknown key (not allowed with --strict)");
  }
  SECTION("strict mode names the server too") {
    LoadOptions opts = options();
    opts.strict = true;
    const auto e =
        parse_error(R"({"s": {"url": "https://s.example.com", "oauth_config": {"x": 1}}})", Format::Json, opts);
    CHECK(e.server() == "s");
    CHECK(e.field() == "oauth_config.x");
  }
}

TEST_CASE("a disabled server is validated and kept", "[mapping]") {
  const Config c = one(R"("enabled": false, "auth_type": "api_key")");
  REQUIRE(c.servers.size() == 1);
  CHECK_FALSE(c.servers[0].enabled);
  CHECK(c.servers[0].auth.plugin == "manual_jwt");
  CHECK(parse_error(R"({"s": {"enabled": false, "url": "nope"}})").field() == "url");
}
