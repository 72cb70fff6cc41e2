#include "url.h"

#include <catch2/catch.hpp>

using mcpauth::oauth21::Params;
using mcpauth::oauth21::Url;
namespace oauth21 = mcpauth::oauth21;

namespace {

Url parsed(std::string_view text) {
  std::optional<Url> url = oauth21::parse_url(text);
  INFO(text);
  REQUIRE(url.has_value());
  return *url;
}

std::string resolved(std::string_view base, std::string_view location) {
  std::optional<Url> url = oauth21::resolve_location(parsed(base), location);
  INFO(base << " + " << location);
  REQUIRE(url.has_value());
  return url->text();
}

}  // namespace

TEST_CASE("parse_url lower-cases scheme and host and fills the default port") {
  const Url url = parsed("HTTPS://MCP.Example.COM/Path/To?Q=Upper");
  CHECK(url.scheme == "https");
  CHECK(url.host == "mcp.example.com");
  CHECK(url.port == 443);
  CHECK(url.path == "/Path/To");  // the path keeps its case
  CHECK(url.query == "Q=Upper");
  CHECK(url.origin() == "https://mcp.example.com");

  CHECK(parsed("http://h").port == 80);
  CHECK(parsed("http://h").path.empty());
  CHECK(parsed("http://h:").port == 80);  // empty port: the default (RFC 3986 section 3.2.3)
}

TEST_CASE("parse_url keeps an explicit port and shows it only when not the default") {
  CHECK(parsed("https://a:8443/x").port == 8443);
  CHECK(parsed("https://a:8443/x").origin() == "https://a:8443");
  CHECK(parsed("https://a:443/x").origin() == "https://a");
  CHECK(parsed("http://a:80").text() == "http://a");
  CHECK(parsed("http://a:443/").origin() == "http://a:443");
  CHECK(parsed("https://a:080/").port == 80);
  CHECK(parsed("http://a:65535/").port == 65535);
}

TEST_CASE("parse_url refuses bad ports") {
  for (const char* text : {"http://a:0/", "http://a:65536/", "http://a:123456/", "http://a:8o/", "http://a:-1/",
                           "http://a:80:80/", "http://[::1]x/", "http://[::1]:x/"}) {
    INFO(text);
    CHECK_FALSE(oauth21::parse_url(text).has_value());
  }
}

TEST_CASE("parse_url reads IPv6 literals without their brackets") {
  const Url url = parsed("http://[::1]:3000/mcp");
  CHECK(url.host == "::1");
  CHECK(url.port == 3000);
  CHECK(url.origin() == "http://[::1]:3000");
  CHECK(url.text() == "http://[::1]:3000/mcp");
  CHECK(parsed("https://[2001:DB8::A]/").host == "2001:db8::a");
  CHECK(parsed("https://[2001:db8::a]:443/").origin() == "https://[2001:db8::a]");
  CHECK_FALSE(oauth21::parse_url("http://[::1/").has_value());
  CHECK_FALSE(oauth21::parse_url("http://[not-an-address]/").has_value());
  CHECK_FALSE(oauth21::parse_url("http://[fe80::1%25eth0]/").has_value());
}

TEST_CASE("parse_url drops the fragment and keeps the query") {
  const Url url = parsed("https://a/p?x=1&y=2#frag?not=query");
  CHECK(url.path == "/p");
  CHECK(url.query == "x=1&y=2");
  CHECK(url.text() == "https://a/p?x=1&y=2");
  CHECK(parsed("https://a#f").text() == "https://a");
  CHECK(parsed("https://a?q").path.empty());
  CHECK(parsed("https://a?q").query == "q");
  CHECK(parsed("https://a/?").text() == "https://a/");
}

TEST_CASE("parse_url refuses what is not an absolute http(s) URL with a plain host") {
  const std::vector<std::string_view> refused = {"",
                                                 "https://",
                                                 "https:///path",
                                                 "https://:443/",
                                                 "ftp://example.com/",
                                                 "file:///etc/passwd",
                                                 "javascript:alert(1)",
                                                 "example.com/path",
                                                 "//example.com/",
                                                 "https:example.com",
                                                 "https://user@host/",
                                                 "https://user:pass@host/",
                                                 "https://a@b@c/",
                                                 "https://ex ample.com/",
                                                 "https://example.com/a b",
                                                 "https://example.com/\t",
                                                 "https://example.com/\r\nX: y",
                                                 std::string_view("https://a/\0b", 12),
                                                 "https://example.com\\@evil.com/",
                                                 "https://exa%6dple.com/",
                                                 "https://a!b/",
                                                 "https://caf\xc3\xa9.example/",
                                                 "https://example.com/\xff",
                                                 "https://example.com/\x7f"};
  for (std::string_view text : refused) {
    INFO(text);
    CHECK_FALSE(oauth21::parse_url(text).has_value());
  }
}

TEST_CASE("resolve_location handles absolute, scheme-relative, absolute-path and relative references") {
  const std::string base = "https://as.example.com:8443/oauth/authorize?client_id=c";
  CHECK(resolved(base, "http://127.0.0.1:5000/callback?code=x#f") == "http://127.0.0.1:5000/callback?code=x");
  CHECK(resolved(base, "//other.example/p?q") == "https://other.example/p?q");
  CHECK(resolved(base, "/login?next=%2F") == "https://as.example.com:8443/login?next=%2F");
  CHECK(resolved(base, "consent") == "https://as.example.com:8443/oauth/consent");
  CHECK(resolved(base, "consent?step=2") == "https://as.example.com:8443/oauth/consent?step=2");
  CHECK(resolved(base, "../login") == "https://as.example.com:8443/login");
  CHECK(resolved(base, "./a/./b/../c") == "https://as.example.com:8443/oauth/a/c");
  CHECK(resolved(base, "?step=3") == "https://as.example.com:8443/oauth/authorize?step=3");
  CHECK(resolved(base, "") == "https://as.example.com:8443/oauth/authorize?client_id=c");
  CHECK(resolved(base, "#top") == "https://as.example.com:8443/oauth/authorize?client_id=c");
  CHECK(resolved("https://a", "b") == "https://a/b");
  CHECK(resolved("https://a/x/", "../../../y") == "https://a/y");
  CHECK(resolved("HTTP://A/x", "HTTPS://B:443/Y") == "https://b/Y");
}

TEST_CASE("resolve_location refuses other schemes and malformed references") {
  const Url base = parsed("https://a/b");
  for (const char* location : {"ftp://a/b", "javascript:alert(1)", "//user@evil/", "///x", "a b", "/x\r\nSet-Cookie: y",
                               "localhost:8080/x", "//[::1/"}) {
    INFO(location);
    CHECK_FALSE(oauth21::resolve_location(base, location).has_value());
  }
}

TEST_CASE("loopback hosts and secure endpoints") {
  for (const char* host : {"localhost", "LOCALHOST", "127.0.0.1", "127.255.1.2", "::1", "0:0:0:0:0:0:0:1"}) {
    INFO(host);
    CHECK(oauth21::is_loopback_host(host));
  }
  for (const char* host : {"", "localhost.evil.com", "128.0.0.1", "126.0.0.1", "10.0.0.1", "::2", "[::1]",
                           "127.0.0.1.evil.com", "0.0.0.0"}) {
    INFO(host);
    CHECK_FALSE(oauth21::is_loopback_host(host));
  }
  CHECK_FALSE(oauth21::is_loopback_host(std::string_view("127.0.0.1\0.evil.com", 19)));

  CHECK(oauth21::is_secure_endpoint(parsed("https://as.example.com/token")));
  CHECK(oauth21::is_secure_endpoint(parsed("http://127.0.0.1:9000/token")));
  CHECK(oauth21::is_secure_endpoint(parsed("http://localhost:9000/token")));
  CHECK(oauth21::is_secure_endpoint(parsed("http://[::1]:9000/token")));
  CHECK_FALSE(oauth21::is_secure_endpoint(parsed("http://as.example.com/token")));
  CHECK_FALSE(oauth21::is_secure_endpoint(parsed("http://192.168.1.1/token")));
}

TEST_CASE("canonical_resource normalises scheme, host and default port but keeps the path exactly") {
  CHECK(oauth21::canonical_resource(parsed("HTTPS://MCP.Example.com:443/MCP#frag")) == "https://mcp.example.com/MCP");
  CHECK(oauth21::canonical_resource(parsed("https://mcp.example.com/mcp/")) == "https://mcp.example.com/mcp/");
  CHECK(oauth21::canonical_resource(parsed("https://mcp.example.com/")) == "https://mcp.example.com/");
  CHECK(oauth21::canonical_resource(parsed("https://mcp.example.com")) == "https://mcp.example.com");
  CHECK(oauth21::canonical_resource(parsed("http://127.0.0.1:3000/mcp?tenant=a")) ==
        "http://127.0.0.1:3000/mcp?tenant=a");
  CHECK(oauth21::canonical_resource(parsed("https://a/./x/../y")) == "https://a/./x/../y");
}

TEST_CASE("protected_resource_metadata_urls: path-specific first, then the root") {
  using V = std::vector<std::string>;
  CHECK(oauth21::protected_resource_metadata_urls(parsed("https://a.com/public/mcp")) ==
        V{"https://a.com/.well-known/oauth-protected-resource/public/mcp",
          "https://a.com/.well-known/oauth-protected-resource"});
  CHECK(oauth21::protected_resource_metadata_urls(parsed("http://127.0.0.1:3000/mcp/?x=1")) ==
        V{"http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp/",
          "http://127.0.0.1:3000/.well-known/oauth-protected-resource"});
  CHECK(oauth21::protected_resource_metadata_urls(parsed("https://a.com/")) ==
        V{"https://a.com/.well-known/oauth-protected-resource"});
  CHECK(oauth21::protected_resource_metadata_urls(parsed("https://a.com")) ==
        V{"https://a.com/.well-known/oauth-protected-resource"});
}

TEST_CASE("authorization_server_metadata_urls follow RFC 8414 then OpenID Connect orders") {
  using V = std::vector<std::string>;
  const V with_path = {"https://a/.well-known/oauth-authorization-server/tenant1",
                       "https://a/.well-known/openid-configuration/tenant1",
                       "https://a/tenant1/.well-known/openid-configuration"};
  const V without_path = {"https://a/.well-known/oauth-authorization-server",
                          "https://a/.well-known/openid-configuration"};
  SECTION("issuer with a path") {
    CHECK(oauth21::authorization_server_metadata_urls(parsed("https://a/tenant1")) == with_path);
  }
  SECTION("issuer with a path and a trailing slash") {
    const Url issuer = parsed("https://a/tenant1/");
    CHECK(oauth21::authorization_server_metadata_urls(issuer) == with_path);
    CHECK(issuer.text() == "https://a/tenant1/");  // the issuer itself is untouched
  }
  SECTION("issuer without a path") {
    CHECK(oauth21::authorization_server_metadata_urls(parsed("https://a")) == without_path);
  }
  SECTION("issuer with only a trailing slash") {
    CHECK(oauth21::authorization_server_metadata_urls(parsed("https://a/")) == without_path);
  }
  SECTION("nested path and non-default port") {
    CHECK(oauth21::authorization_server_metadata_urls(parsed("http://127.0.0.1:4000/realms/x")) ==
          V{"http://127.0.0.1:4000/.well-known/oauth-authorization-server/realms/x",
            "http://127.0.0.1:4000/.well-known/openid-configuration/realms/x",
            "http://127.0.0.1:4000/realms/x/.well-known/openid-configuration"});
  }
}

TEST_CASE("form_encode keeps unreserved characters, writes spaces as '+' and escapes the rest in upper-case hex") {
  CHECK(oauth21::form_encode({}) == "");
  CHECK(oauth21::form_encode({{"grant_type", "authorization_code"}, {"scope", "read write"}}) ==
        "grant_type=authorization_code&scope=read+write");
  CHECK(oauth21::percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(oauth21::percent_encode("a+b&c=d/e?f#g%h") == "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h");
  CHECK(oauth21::percent_encode("https://a/cb") == "https%3A%2F%2Fa%2Fcb");
  CHECK(oauth21::percent_encode("\xc3\xa9\xe2\x82\xac") == "%C3%A9%E2%82%AC");  // é€ in UTF-8
  CHECK(oauth21::percent_encode(std::string_view("\0\x7f\xff", 3)) == "%00%7F%FF");
}

TEST_CASE("form_encode and parse_query round trip") {
  const Params params = {{"redirect_uri", "http://127.0.0.1:5000/cb?x=1&y=2"},
                         {"scope", "a b+c"},
                         {"eq", "k=v=w"},
                         {"utf8", "caf\xc3\xa9 \xf0\x9f\x94\x91"},
                         {"empty", ""},
                         {"name with space&amp", "%41"},
                         {"scope", "second"}};
  const std::optional<Params> back = oauth21::parse_query(oauth21::form_encode(params));
  REQUIRE(back.has_value());
  CHECK(*back == params);
  CHECK(oauth21::find_param(*back, "scope") == "a b+c");  // the first of repeated names
  CHECK(oauth21::find_param(*back, "empty") == "");
  CHECK_FALSE(oauth21::find_param(*back, "missing").has_value());
  CHECK_FALSE(oauth21::find_param(*back, "Scope").has_value());
}

TEST_CASE("parse_query decodes '+' and escapes in either case, and tolerates empty pieces") {
  const std::optional<Params> params = oauth21::parse_query("code=a%2fb%2F+c&state=s&&flag&=v&x=");
  REQUIRE(params.has_value());
  CHECK(*params == Params{{"code", "a/b/ c"}, {"state", "s"}, {"flag", ""}, {"", "v"}, {"x", ""}});
  CHECK(oauth21::parse_query("")->empty());
  CHECK(oauth21::parse_query("&")->empty());
  CHECK(*oauth21::parse_query("a=1=2") == Params{{"a", "1=2"}});
}

TEST_CASE("parse_query refuses malformed escapes") {
  for (const char* query : {"a=%", "a=%4", "a=%G1", "a=%1G", "a=%%41", "%zz=1", "a=1&b=%", "a=%-1"}) {
    INFO(query);
    CHECK_FALSE(oauth21::parse_query(query).has_value());
  }
}
