// Reading token endpoint answers (read_token_response): lifetimes as numbers, strings and values
// out of range (found by tests/fuzz/fuzz_token_response).
#include "token_set.h"

#include <catch2/catch.hpp>

using namespace mcpauth::oauth21;
using mcpauth::plugin_support::parse_object;

namespace {

constexpr int64_t kNowMs = 1'750'000'000'000;

TokenSet read_with_expires_in(const std::string& expires_in) {
  auto body = parse_object(R"({"access_token": "a", "token_type": "Bearer", "expires_in": )" + expires_in + "}");
  REQUIRE(body);
  return read_token_response(body, kNowMs, {}, nullptr);
}

}  // namespace

TEST_CASE("expires_in as an integer, a float or a numeric string") {
  CHECK(read_with_expires_in("3600").expires_at_ms == kNowMs + 3'600'000);
  CHECK(read_with_expires_in("900.7").expires_at_ms == kNowMs + 900'000);
  CHECK(read_with_expires_in(R"("28800")").expires_at_ms == kNowMs + 28'800'000);
  CHECK(read_with_expires_in("0").expires_at_ms == 0);
}

TEST_CASE("an expires_in past what the clock can count is no lifetime, never an overflow or an exception") {
  for (const char* expires_in : {"1e300", "-1e300", "9223372036854775807", "9223372036854775", "18446744073709551615",
                                 R"("1e400")", R"("-9e18")"}) {
    INFO(expires_in);
    CHECK(read_with_expires_in(expires_in).expires_at_ms == 0);
  }
}
