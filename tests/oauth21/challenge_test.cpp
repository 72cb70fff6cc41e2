// What discovery takes from a 401 challenge (read_challenge): raw header bytes that are no RFC 6749
// scope token are dropped (found by tests/fuzz/fuzz_discovery: they could not be stored and read back).
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
