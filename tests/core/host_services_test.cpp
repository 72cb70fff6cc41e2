// Host services as plugins see them through the C table, and the log's redaction.
#include "mcpauth/core/host_services.h"
#include "mcpauth/core/event_counts.h"
#include "mcpauth/core/redact.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace mcpauth::core;

TEST_CASE("open_url runs $BROWSER with the URL as one argument, never through a shell") {
  fs::path dir = fs::temp_directory_path() / ("mcpauth-browser-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path script = dir / "browser.sh", seen = dir / "seen";
  std::ofstream(script) << "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$1\" > '" << seen.string() << ".tmp' && mv '"
                        << seen.string() << ".tmp' '" << seen.string() << "'\n";
  fs::permissions(script, fs::perms::owner_all);
  ::setenv("BROWSER", script.c_str(), 1);

  // Quotes, $(...), ; and spaces would all do something in a shell.
  const std::string url = "https://as.example/authorize?state=a b'c\"d;touch " + (dir / "pwned").string() + "&x=$(id)";
  mcpauth_error err{};
  REQUIRE(host_api()->open_url(nullptr, url.c_str(), &err) == MCPAUTH_OK);
  for (int i = 0; i < 100 && !fs::exists(seen); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ifstream in(seen);
  std::string count, argument;
  std::getline(in, count);
  std::getline(in, argument);
  CHECK(count == "1");
  CHECK(argument == url);
  CHECK_FALSE(fs::exists(dir / "pwned"));

  ::setenv("BROWSER", (dir / "no-such-browser").c_str(), 1);
  CHECK(host_api()->open_url(nullptr, url.c_str(), &err) == MCPAUTH_ERR_INTERNAL);
  CHECK_THAT(err.message, Catch::Contains("cannot start browser"));
  ::unsetenv("BROWSER");
  fs::remove_all(dir);
}

TEST_CASE("sleep_ms sleeps, and is cut short by cancellation") {
  mcpauth_host_context ctx;
  auto start = std::chrono::steady_clock::now();
  CHECK(host_api()->sleep_ms(&ctx, 50) == MCPAUTH_OK);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(50));

  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ctx.cancel();
  });
  start = std::chrono::steady_clock::now();
  CHECK(host_api()->sleep_ms(&ctx, 10'000) == MCPAUTH_ERR_CANCELLED);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  canceller.join();
  CHECK(host_api()->sleep_ms(&ctx, 10'000) == MCPAUTH_ERR_CANCELLED);  // stays cancelled
}

TEST_CASE("random bytes, clocks and the allocator") {
  uint8_t a[32] = {}, b[32] = {};
  mcpauth_error err{};
  REQUIRE(host_api()->random_bytes(a, sizeof a, &err) == MCPAUTH_OK);
  REQUIRE(host_api()->random_bytes(b, sizeof b, &err) == MCPAUTH_OK);
  CHECK(std::memcmp(a, b, sizeof a) != 0);
  CHECK(host_api()->now_unix_ms() > 1'700'000'000'000);
  CHECK(host_api()->monotonic_ms() <= host_api()->monotonic_ms());
  void* block = host_api()->alloc(0);  // a zero-size request still gives a freeable pointer
  CHECK(block != nullptr);
  host_api()->free(block);
  host_api()->free(nullptr);
}

TEST_CASE("count_event counts per server and event name, and ignores bad names") {
  mcpauth_host_context ctx;
  ctx.server_name = "events-test";
  auto count_of = [](const std::string& event) {
    auto counts = plugin_events().snapshot();
    auto found = counts.find({"events-test", event});
    return found == counts.end() ? uint64_t{0} : found->second;
  };
  for (int i = 0; i < 3; ++i) host_api()->count_event(&ctx, "token_refreshed");
  host_api()->count_event(&ctx, "token_refresh_failed");
  CHECK(count_of("token_refreshed") == 3);
  CHECK(count_of("token_refresh_failed") == 1);
  const std::string too_long(65, 'a');
  for (const char* bad : {"", "Token", "token-refreshed", "a b", "x\"} 1\nfake_metric", too_long.c_str()})
    host_api()->count_event(&ctx, bad);
  host_api()->count_event(&ctx, nullptr);
  host_api()->count_event(nullptr, "token_refreshed");
  for (const auto& [key, count] : plugin_events().snapshot())
    if (key.first == "events-test") CHECK((key.second == "token_refreshed" || key.second == "token_refresh_failed"));
}

TEST_CASE("event series are bounded") {
  EventCounts counts;
  for (std::size_t i = 0; i < EventCounts::kMaxSeries + 10; ++i) counts.add("s", "e" + std::to_string(i));
  counts.add("s", "e0");
  CHECK(counts.snapshot().size() == EventCounts::kMaxSeries);
  CHECK(counts.snapshot().at({"s", "e0"}) == 2);
}

TEST_CASE("storage services without a bound storage say so") {
  mcpauth_host_context ctx;
  mcpauth_bytes value{};
  mcpauth_error err{};
  CHECK(host_api()->storage_get(&ctx, "k", &value, &err) == MCPAUTH_ERR_UNSUPPORTED);
  CHECK_THAT(err.message, Catch::Contains("no storage is bound"));
}

TEST_CASE("redaction masks credentials in free text") {
  CHECK(redact("Authorization: Bearer abc.def-123") == "Authorization: Bearer [REDACTED]");
  CHECK(redact("basic dXNlcjpwYXNz") == "basic [REDACTED]");
  // Words after a scheme name in a sentence are not credentials.
  CHECK(redact("the token endpoint refused") == "the token endpoint refused");
  CHECK(redact("no token for server 'a'; basic authentication") == "no token for server 'a'; basic authentication");
  CHECK(redact("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here") == "jwt [REDACTED] here");
  CHECK(redact("GET /cb?code=AUTHCODE&state=xyz") == "GET /cb?code=[REDACTED]&state=xyz");
  CHECK(redact("grant_type=refresh_token&refresh_token=RT1&client_secret=CS") ==
        "grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]");
  CHECK(redact(R"({"access_token": "AT\"1", "expires_in": 3600})") ==
        R"({"access_token": "[REDACTED]", "expires_in": 3600})");
  CHECK(redact("code_challenge=abc&code_verifier=VER") == "code_challenge=abc&code_verifier=[REDACTED]");
  CHECK(redact("nothing secret here: server github, 3 tokens") == "nothing secret here: server github, 3 tokens");
}
