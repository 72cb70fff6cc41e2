#include "crypto/base64url.h"

#include "byte_strings.h"

#include <catch2/catch.hpp>

using mcpauth::crypto::base64url_decode;
using mcpauth::crypto::base64url_encode;

TEST_CASE("base64url matches the RFC 4648 test vectors") {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    INFO(plain);
    CHECK(base64url_encode(to_bytes(plain)) == encoded);
    const auto decoded = base64url_decode(encoded);
    REQUIRE(decoded);
    CHECK(to_string(*decoded) == plain);
  }
}

TEST_CASE("base64url uses '-' and '_' and round-trips every length") {
  CHECK(base64url_encode(std::vector<uint8_t>{0xfb, 0xff}) == "-_8=");
  std::vector<uint8_t> data;
  for (int n = 0; n < 70; ++n) {
    const auto decoded = base64url_decode(base64url_encode(data));
    REQUIRE(decoded);
    CHECK(*decoded == data);
    data.push_back(static_cast<uint8_t>(n * 37 + 250));
  }
}

TEST_CASE("base64url_decode rejects every non-canonical text (Python accepts most of these)") {
  const char* rejected[] = {
      "Zg",         // missing padding (Python rejects it too)
      "Zm8",        // missing padding
      "Zg===",      // surplus padding
      "Zg==Zg==",   // padding in the middle
      "Z=g=",       // padding in the middle of a group
      "====",       // padding only
      "A===",       // three '='
      "Zh==",       // non-zero unused bits (Python decodes it as "f")
      "Zm9=",       // non-zero unused bits
      "+/8=",       // standard alphabet
      "Zg==\n",     // trailing newline
      " Zg=",       // whitespace
      "Zm9v Yg==",  // embedded whitespace
      "%%%%",       // outside the alphabet
  };
  for (const char* text : rejected) {
    INFO(text);
    CHECK_FALSE(base64url_decode(text));
  }
  CHECK_FALSE(base64url_decode(std::string_view("Zm9\0", 4)));  // NUL
}
