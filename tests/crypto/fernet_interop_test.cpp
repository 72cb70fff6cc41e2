// Interoperability with Python's cryptography.fernet, both directions.
#include "crypto/fernet.h"

#include "byte_strings.h"
#include "python_peer.h"

#include <catch2/catch.hpp>

#include <array>
#include <random>

using namespace mcpauth::crypto;

namespace {

std::vector<std::pair<std::string, std::vector<uint8_t>>> plaintexts() {
  std::vector<uint8_t> all_bytes(512);  // every byte value twice, NULs included
  for (size_t i = 0; i < all_bytes.size(); ++i) all_bytes[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> mebibyte(1 << 20);
  std::mt19937 random(42);
  for (uint8_t& byte : mebibyte) byte = static_cast<uint8_t>(random());
  return {{"empty", {}}, {"text", to_bytes("hello, python")}, {"binary", all_bytes}, {"1 MiB", mebibyte}};
}

}  // namespace

TEST_CASE("/usr/bin/python3 has python3-cryptography") {
  std::string version;
  REQUIRE_NOTHROW(version = run_peer({"check"}));
  CHECK_FALSE(version.empty());
}

TEST_CASE("tokens made by Python decrypt here") {
  const FernetKey key = FernetKey::parse(run_peer({"genkey"}));
  for (const auto& [name, plaintext] : plaintexts()) {
    INFO(name);
    const std::string token = run_peer({"encrypt", key.encoded()}, to_string(plaintext));
    CHECK(fernet_decrypt(key, token, 60) == plaintext);
  }
}

TEST_CASE("tokens made here decrypt in Python") {
  const FernetKey key = FernetKey::generate();
  for (const auto& [name, plaintext] : plaintexts()) {
    INFO(name);
    const std::string token = fernet_encrypt(key, plaintext);
    CHECK(to_bytes(run_peer({"decrypt", key.encoded()}, token)) == plaintext);
  }
}

TEST_CASE("MultiFernet rotation interoperates") {
  const FernetKey old_key = FernetKey::generate(), new_key = FernetKey::generate();
  const std::string plaintext = "rotate me";
  constexpr uint64_t kTimestamp = 1000000000;

  SECTION("a Python token rotated here") {
    const std::string token = run_peer({"encrypt", old_key.encoded(), std::to_string(kTimestamp)}, plaintext);
    const std::string rotated = MultiFernet({new_key, old_key}).rotate(token);
    CHECK(run_peer({"decrypt", new_key.encoded()}, rotated) == plaintext);
    CHECK(run_peer({"timestamp", new_key.encoded()}, rotated) == std::to_string(kTimestamp));
    CHECK_THROWS(run_peer({"decrypt", old_key.encoded()}, rotated));
  }
  SECTION("a token from here rotated by Python") {
    const std::array<uint8_t, 16> iv{};
    const std::string token = fernet_encrypt(old_key, to_bytes(plaintext), kTimestamp, iv);
    const std::string rotated = run_peer({"rotate", new_key.encoded(), old_key.encoded()}, token);
    CHECK(to_string(fernet_decrypt(new_key, rotated)) == plaintext);
    CHECK(fernet_timestamp(rotated) == kTimestamp);
    CHECK_THROWS_AS(fernet_decrypt(old_key, rotated), FernetError);
  }
}
