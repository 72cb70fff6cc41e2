// What discovery takes from a 401 challenge (read_challenge): raw header bytes that are no RFC 6749
// scope token, and a resource_metadata that is no http(s) URL, are dropped (both found by
// tests/fuzz/fuzz_discovery: they could not be stored and read back).
#include "discovery.h"

#include <catch2/catch.hpp>

using mcpauth::oauth21::read_challenge;

TEST_CASE("a challenge's resource_metadata and scopes") {
  auto hints = read_challenge(R"(Bearer resource_metadata="https://mcp.example.com/.well-known/x", scope="a:b c")");
  CHECK(hints.resource_metadata_url == "https://mcp.example.com/.well-known/x");
  CHECK(hints.scopes == std::vector<std::string>{"a:b", "c"});
}

TEST_CASE("scopes with bytes outside RFC 6749's scope-token are dropped") {
  CHECK(read_challenge("Bearer scope=\"files:read a\xff"
                       "b c\x01"
                       "d \\\\x\"")
            .scopes == std::vector<std::string>{"files:read"});
}

TEST_CASE("a resource_metadata that is no http(s) URL is dropped") {
  for (const std::string url : {"https://mcp.example.com/.well-known\x8a\xd2x", "ftp://mcp.example.com/x", "relative/x",
                                "https://mcp.example.com/a b"}) {
    INFO(url);
    CHECK(read_challenge("Bearer resource_metadata=\"" + url + "\"").resource_metadata_url.empty());
  }
}
