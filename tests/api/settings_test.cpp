// The settings of `mcpauth serve` in the configuration: defaults, values, and the errors.
#include "api_harness.h"

#include <catch2/catch.hpp>

using namespace mcpauth;
using namespace mcpauth::test;

namespace {

config::Settings settings_of(const std::string& settings_json) {
  return parse_config(R"({"mcpauth": )" + settings_json + "}").settings;
}

}  // namespace

TEST_CASE("serve settings have defaults") {
  config::Settings s = settings_of("{}");
  CHECK_FALSE(s.public_base_url);
  CHECK(s.ui_redirect == "/");
  CHECK(s.identity_header == "X-User-Email");
  CHECK(s.proxy_secret_header == "X-Proxy-Secret");
  CHECK_FALSE(s.proxy_secret);
  CHECK(s.mode == "development");
  CHECK(s.user_groups.empty());
  CHECK_FALSE(s.group_service);
  CHECK_FALSE(s.tls);
  CHECK(s.limits.max_body_bytes == 65536);
  CHECK(s.limits.max_header_bytes == 16384);
  CHECK(s.limits.max_connections == 64);
  CHECK(s.limits.timeout_s == 30);
}

TEST_CASE("serve settings are read") {
  config::Settings s = settings_of(R"({
    "public_base_url": "https://mcp.example.com/auth/",
    "ui_redirect": "https://chat.example.com/settings?tab=mcp",
    "identity_header": "X-Forwarded-User", "proxy_secret_header": "X-Auth", "proxy_secret": "p",
    "mode": "production",
    "user_groups": {"a@example.com": ["admin", "dev"], "b@example.com": null},
    "group_service": {"url": "https://groups.example.com/check", "api_key": "k"},
    "tls": {"cert_file": "~/tls/cert.pem", "key_file": "/etc/mcpauth/key.pem"},
    "limits": {"max_body_bytes": 1000, "timeout_s": 5}
  })");
  CHECK(s.public_base_url == "https://mcp.example.com/auth");
  CHECK(s.ui_redirect == "https://chat.example.com/settings?tab=mcp");
  CHECK(s.identity_header == "X-Forwarded-User");
  CHECK(s.proxy_secret_header == "X-Auth");
  CHECK(s.proxy_secret == "p");
  CHECK(s.mode == "production");
  CHECK(s.user_groups == std::map<std::string, std::vector<std::string>>{{"a@example.com", {"admin", "dev"}}});
  REQUIRE(s.group_service);
  CHECK(s.group_service->url == "https://groups.example.com/check");
  CHECK(s.group_service->api_key == "k");
  CHECK(s.group_service->timeout_ms == 5000);
  CHECK(s.group_service->cache_s == 30);
  REQUIRE(s.tls);
  CHECK(s.tls->cert_file == "/nonexistent-home/tls/cert.pem");
  CHECK(s.tls->key_file == "/etc/mcpauth/key.pem");
  CHECK(s.limits.max_body_bytes == 1000);
  CHECK(s.limits.max_header_bytes == 16384);
  CHECK(s.limits.timeout_s == 5);
}

TEST_CASE("bad serve settings are errors naming the field, never the value") {
  struct Case {
    std::string settings, message;
  };
  const std::vector<Case> cases = {
      {R"({"public_base_url": "ftp://x"})", "field 'mcpauth.public_base_url': must be an http:// or https:// URL"},
      {R"({"public_base_url": "https://x/?a=1"})", "field 'mcpauth.public_base_url': must be a URL without a query"},
      {R"({"ui_redirect": "//evil.example"})",
       "field 'mcpauth.ui_redirect': must be a path starting with a single '/'"},
      {R"js({"ui_redirect": "javascript:alert(1)"})js", "field 'mcpauth.ui_redirect': must be a path"},
      {R"({"identity_header": "X User"})", "field 'mcpauth.identity_header': must be an HTTP header name"},
      {R"({"proxy_secret_header": ""})", "field 'mcpauth.proxy_secret_header': must not be empty"},
      {R"({"proxy_secret": ""})", "field 'mcpauth.proxy_secret': must not be empty"},
      {R"({"proxy_secret": 5})", "field 'mcpauth.proxy_secret': must be a string, got integer"},
      {R"({"mode": "prod"})", "field 'mcpauth.mode': must be one of: development, production"},
      {R"({"user_groups": {"a": "admin"}})", "field 'mcpauth.user_groups.a': must be a list"},
      {R"({"user_groups": {"a": [""]}})", "field 'mcpauth.user_groups.a[0]': must not be empty"},
      {R"({"group_service": {"api_key": "k"}})", "field 'mcpauth.group_service.url': required"},
      {R"({"group_service": {"url": "https://g.example"}})", "field 'mcpauth.group_service.api_key': required"},
      {R"({"group_service": {"url": "https://g.example", "api_key": "k", "timeout_ms": 0}})",
       "field 'mcpauth.group_service.timeout_ms': must be an integer from 1 to 600000"},
      {R"({"group_service": {"url": "https://g.example", "api_key": "k", "cache_s": -1}})",
       "field 'mcpauth.group_service.cache_s': must be an integer from 0 to 86400"},
      {R"({"tls": {"cert_file": "c"}})", "field 'mcpauth.tls.key_file': required"},
      {R"({"limits": {"max_body_bytes": 0}})", "field 'mcpauth.limits.max_body_bytes': must be an integer from 1"},
      {R"({"limits": {"max_header_bytes": 100}})",
       "field 'mcpauth.limits.max_header_bytes': must be an integer from 1024"},
      {R"({"limits": {"max_connections": "many"}})", "field 'mcpauth.limits.max_connections': must be an integer"},
      {R"({"limits": {"timeout_s": 0}})", "field 'mcpauth.limits.timeout_s': must be an integer from 1 to 3600"},
  };
  for (const Case& c : cases) {
    INFO(c.settings);
    CHECK_THROWS_WITH(settings_of(c.settings), Catch::Contains(c.message));
  }
  CHECK_THROWS_WITH(settings_of(R"({"proxy_secret": 12345678})"), !Catch::Contains("12345678"));
}

TEST_CASE("unknown keys in the serve settings are warned about") {
  auto loaded = parse_config(R"({"mcpauth": {"limits": {"max_bodybytes": 5},
                                 "group_service": {"url": "https://g.example", "api_key": "k", "ttl": 3}}})");
  REQUIRE(loaded.warnings.size() == 2);
  const std::string both = loaded.warnings[0] + "\n" + loaded.warnings[1];
  CHECK_THAT(both, Catch::Contains("limits.max_bodybytes") && Catch::Contains("group_service.ttl") &&
                       Catch::Contains("(ignored)"));
}
