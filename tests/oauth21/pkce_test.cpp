#include "pkce.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <random>
#include <string_view>

namespace oauth21 = mcpauth::oauth21;

namespace {

std::string encoded(std::string_view text) {
  return oauth21::base64url_nopad({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

bool is_verifier_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

TEST_CASE("base64url_nopad: RFC 4648 test vectors without padding") {
  CHECK(encoded("") == "");
  CHECK(encoded("f") == "Zg");
  CHECK(encoded("fo") == "Zm8");
  CHECK(encoded("foo") == "Zm9v");
  CHECK(encoded("foob") == "Zm9vYg");
  CHECK(encoded("fooba") == "Zm9vYmE");
  CHECK(encoded("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64url_nopad uses the URL-safe alphabet") {
  const std::array<uint8_t, 3> high = {0xfb, 0xff, 0xbf};  // "+/+/" in standard base64
  CHECK(oauth21::base64url_nopad(high) == "-_-_");
  const std::array<uint8_t, 2> two = {0xff, 0xff};
  CHECK(oauth21::base64url_nopad(two) == "__8");
}

TEST_CASE("RFC 7636 appendix B: verifier and S256 challenge") {
  const std::array<uint8_t, 32> random = {116, 24,  223, 180, 151, 153, 224, 37,  79, 250, 96, 125, 216, 173, 187, 186,
                                          22,  212, 37,  77,  105, 214, 191, 240, 91, 88,  5,  88,  83,  132, 141, 121};
  const std::string verifier = oauth21::make_code_verifier(random);
  CHECK(verifier == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  CHECK(oauth21::s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("code verifiers are 43 characters of [A-Za-z0-9-_] and differ with the random input") {
  std::mt19937 generator(7636);
  std::uniform_int_distribution<int> byte(0, 255);
  std::array<uint8_t, 32> random{};
  std::vector<std::string> seen;
  for (int round = 0; round < 200; ++round) {
    for (uint8_t& b : random) b = static_cast<uint8_t>(byte(generator));
    if (round == 0) random.fill(0x00);
    if (round == 1) random.fill(0xff);
    const std::string verifier = oauth21::make_code_verifier(random);
    INFO(round);
    CHECK(verifier.size() == 43);
    CHECK(std::all_of(verifier.begin(), verifier.end(), is_verifier_character));
    seen.push_back(verifier);
  }
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}

TEST_CASE("S256 challenges are 43 characters and depend on every verifier character") {
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  std::string changed = verifier;
  changed.back() = 'j';
  CHECK(oauth21::s256_challenge(verifier).size() == 43);
  CHECK(oauth21::s256_challenge(changed) != oauth21::s256_challenge(verifier));
}

TEST_CASE("equal_constant_time") {
  CHECK(oauth21::equal_constant_time("", ""));
  CHECK(oauth21::equal_constant_time("state-123", "state-123"));
  CHECK_FALSE(oauth21::equal_constant_time("state-123", "state-124"));
  CHECK_FALSE(oauth21::equal_constant_time("state-123", "state-12"));
  CHECK_FALSE(oauth21::equal_constant_time("", "x"));
  CHECK_FALSE(oauth21::equal_constant_time(std::string("a\0b", 3), std::string("a\0c", 3)));
  CHECK(oauth21::equal_constant_time(std::string("a\0b", 3), std::string("a\0b", 3)));
}
