#include "www_authenticate.h"

#include <catch2/catch.hpp>

#include <random>

using mcpauth::oauth21::Challenge;
using mcpauth::oauth21::find_bearer;
using mcpauth::oauth21::parse_www_authenticate;
using Params = std::map<std::string, std::string>;

TEST_CASE("a Bearer challenge with parameters in any order") {
  const auto challenges = parse_www_authenticate(
      R"(Bearer scope="files:read files:write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource", error="invalid_token")");
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].scheme == "Bearer");
  CHECK(challenges[0].token68.empty());
  CHECK(challenges[0].params ==
        Params{{"scope", "files:read files:write"},
               {"resource_metadata", "https://mcp.example.com/.well-known/oauth-protected-resource"},
               {"error", "invalid_token"}});
}

TEST_CASE("several challenges in one header") {
  const auto challenges = parse_www_authenticate(
      R"(Basic realm="x", Bearer error="invalid_token", resource_metadata="https://a/b", scope="a b")");
  REQUIRE(challenges.size() == 2);
  CHECK(challenges[0].scheme == "Basic");
  CHECK(challenges[0].params == Params{{"realm", "x"}});
  CHECK(challenges[1].scheme == "Bearer");
  CHECK(challenges[1].params ==
        Params{{"error", "invalid_token"}, {"resource_metadata", "https://a/b"}, {"scope", "a b"}});

  const auto bearer = find_bearer(challenges);
  REQUIRE(bearer.has_value());
  CHECK(bearer->params.at("resource_metadata") == "https://a/b");
}

TEST_CASE("the RFC 9110 example with escaped quotes and a token value") {
  const auto challenges =
      parse_www_authenticate(R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")");
  REQUIRE(challenges.size() == 2);
  CHECK(challenges[0].scheme == "Newauth");
  CHECK(challenges[0].params == Params{{"realm", "apps"}, {"type", "1"}, {"title", R"(Login to "apps")"}});
  CHECK(challenges[1].scheme == "Basic");
  CHECK(challenges[1].params == Params{{"realm", "simple"}});
}

TEST_CASE("quoted strings may hold commas, '=', escaped backslashes and what looks like another challenge") {
  const auto challenges = parse_www_authenticate(
      R"(Bearer error_description="bad token, try again = later, Basic realm=\"x\"", scope="a,b", path="c:\\d")");
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].params == Params{{"error_description", R"(bad token, try again = later, Basic realm="x")"},
                                       {"scope", "a,b"},
                                       {"path", R"(c:\d)"}});
}

TEST_CASE("scheme and parameter names are case-insensitive; spaces around '=' and commas are allowed") {
  const auto challenges =
      parse_www_authenticate("bEaReR  Resource_Metadata = \"https://x/y\" ,\tSCOPE=files.read ,, ERROR=\"e\"");
  const auto bearer = find_bearer(challenges);
  REQUIRE(bearer.has_value());
  CHECK(bearer->scheme == "bEaReR");  // kept as sent
  CHECK(bearer->params == Params{{"resource_metadata", "https://x/y"}, {"scope", "files.read"}, {"error", "e"}});
}

TEST_CASE("token68 challenges") {
  const auto challenges =
      parse_www_authenticate("Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag+/==, Basic abc.def_~-, Bearer");
  REQUIRE(challenges.size() == 3);
  CHECK(challenges[0].scheme == "Negotiate");
  CHECK(challenges[0].token68 == "YIIBhgYGKwYBBQUCoIIBejCCAXag+/==");
  CHECK(challenges[0].params.empty());
  CHECK(challenges[1].token68 == "abc.def_~-");
  CHECK(challenges[2].scheme == "Bearer");
  CHECK(challenges[2].token68.empty());
  CHECK(challenges[2].params.empty());

  // What the grammar says of a lone "name=" in first place: a token68 with its padding.
  const auto lone = parse_www_authenticate("Bearer realm=");
  REQUIRE(lone.size() == 1);
  CHECK(lone[0].token68 == "realm=");
  CHECK(lone[0].params.empty());
}

TEST_CASE("challenges without parameters") {
  const auto challenges = parse_www_authenticate("Basic, Bearer , DPoP algs=\"ES256\"");
  REQUIRE(challenges.size() == 3);
  CHECK(challenges[0].scheme == "Basic");
  CHECK(challenges[1].scheme == "Bearer");
  CHECK(challenges[1].params.empty());
  CHECK(challenges[2].scheme == "DPoP");
  CHECK(challenges[2].params == Params{{"algs", "ES256"}});
}

TEST_CASE("a repeated parameter keeps its first value") {
  const auto challenges = parse_www_authenticate(R"(Bearer scope="first", SCOPE="second")");
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].params == Params{{"scope", "first"}});
}

TEST_CASE("malformed parts are skipped and the rest is kept") {
  SECTION("a parameter with junk after its value") {
    const auto challenges = parse_www_authenticate(R"(Bearer a="x"junk, error="invalid_token", b=1 2, c="ok")");
    REQUIRE(challenges.size() == 1);
    CHECK(challenges[0].params == Params{{"error", "invalid_token"}, {"c", "ok"}});
  }
  SECTION("a parameter without a value") {
    const auto challenges = parse_www_authenticate(R"(Bearer scope="s", realm=, error="e")");
    REQUIRE(challenges.size() == 1);
    CHECK(challenges[0].params == Params{{"scope", "s"}, {"error", "e"}});
  }
  SECTION("garbage before a valid challenge") {
    const auto challenges = parse_www_authenticate(R"("quoted, junk" =x, @@@, Bearer scope="s")");
    REQUIRE(challenges.size() == 1);
    CHECK(challenges[0].scheme == "Bearer");
    CHECK(challenges[0].params == Params{{"scope", "s"}});
  }
  SECTION("an unterminated quoted string swallows the rest") {
    const auto challenges = parse_www_authenticate(R"(Bearer scope="s", error="unterminated, Basic realm=x)");
    REQUIRE(challenges.size() == 1);
    CHECK(challenges[0].params == Params{{"scope", "s"}});
  }
  SECTION("quotes that do not pair up") {
    const auto challenges = parse_www_authenticate(R"(Bearer scope="s", error="a, Basic realm="x", Basic realm="y")");
    REQUIRE(challenges.size() == 1);  // the rest pairs quotes differently from what was meant: all one bad element
    CHECK(challenges[0].params == Params{{"scope", "s"}});
  }
  SECTION("a dangling backslash") {
    const auto challenges = parse_www_authenticate("Bearer scope=\"s\\");
    REQUIRE(challenges.size() == 1);
    CHECK(challenges[0].params.empty());
  }
  SECTION("words that are neither a token68 nor parameters") {
    const auto challenges = parse_www_authenticate(R"(Basic foo bar, realm="r")");
    REQUIRE(challenges.size() == 1);
    CHECK(challenges[0].params == Params{{"realm", "r"}});
  }
}

TEST_CASE("empty and separator-only headers give no challenge") {
  CHECK(parse_www_authenticate("").empty());
  CHECK(parse_www_authenticate("  ,, \t,").empty());
  CHECK(parse_www_authenticate("\"").empty());
  CHECK(parse_www_authenticate("=").empty());
  CHECK_FALSE(find_bearer(parse_www_authenticate("Basic realm=\"x\"")).has_value());
  CHECK_FALSE(find_bearer({}).has_value());
}

TEST_CASE("random garbage never crashes nor hangs the parser") {
  std::mt19937 generator(20240611);
  const std::string alphabet = "Bearer=\", \t\\abc=/+;:\x01\xff";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<size_t> length(0, 64);
  size_t parsed_challenges = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string header(length(generator), ' ');
    for (char& c : header) c = alphabet[pick(generator)];
    for (const Challenge& challenge : parse_www_authenticate(header)) {
      CHECK_FALSE(challenge.scheme.empty());
      ++parsed_challenges;
    }
  }
  CHECK(parsed_challenges > 0);
}
