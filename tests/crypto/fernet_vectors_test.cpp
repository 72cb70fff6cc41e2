// The published Fernet spec vectors, as shipped by Debian's python3-cryptography-vectors
// (read at run time through fernet_peer.py, which finds and flattens the JSON files).
#include "crypto/fernet.h"

#include "byte_strings.h"
#include "python_peer.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace mcpauth::crypto;

namespace {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> bytes;
  if (hex == "-") return bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

}  // namespace

TEST_CASE("every Fernet spec vector passes") {
  std::istringstream lines(run_peer({"vectors"}));
  int generated = 0, verified = 0, refused = 0;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    std::istringstream fields(line);
    std::string kind, secret, token;
    uint64_t now = 0;
    fields >> kind >> secret >> token >> now;
    const FernetKey key = FernetKey::parse(secret);
    if (kind == "generate") {
      std::string iv_hex, src_hex;
      fields >> iv_hex >> src_hex;
      const std::vector<uint8_t> iv = from_hex(iv_hex);
      REQUIRE(iv.size() == 16);
      CHECK(fernet_encrypt(key, from_hex(src_hex), now, std::span<const uint8_t, 16>(iv.data(), 16)) == token);
      ++generated;
    } else if (kind == "verify") {
      uint64_t ttl = 0;
      std::string src_hex;
      fields >> ttl >> src_hex;
      CHECK(fernet_decrypt(key, token, ttl, now) == from_hex(src_hex));
      ++verified;
    } else {
      REQUIRE(kind == "invalid");
      uint64_t ttl = 0;
      fields >> ttl;
      CHECK_THROWS_AS(fernet_decrypt(key, token, ttl, now), FernetError);
      ++refused;
    }
  }
  // The Debian package ships 1 generate, 1 verify and 8 invalid vectors.
  CHECK(generated >= 1);
  CHECK(verified >= 1);
  CHECK(refused >= 8);
}
