#include "crypto/fernet.h"

#include "byte_strings.h"
#include "crypto/base64url.h"

#include <openssl/evp.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>

using namespace mcpauth::crypto;
using Kind = FernetError::Kind;

namespace {

// From the spec's generate.json.
const std::string kSpecKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
const std::string kSpecToken =
    "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";
constexpr uint64_t kSpecTime = 499162800;  // 1985-10-26T01:20:00-07:00
constexpr std::array<uint8_t, 16> kIv = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

const std::string kAccepted = "accepted";
const std::string kMalformed = "invalid token: malformed";
const std::string kBadSignature = "invalid token: bad signature or wrong key";
const std::string kExpired = "invalid token: expired";
const std::string kFuture = "invalid token: timestamp too far in the future";
const std::string kBadKey = "invalid Fernet key: must be 32 bytes encoded as url-safe base64 (44 characters)";

// The error message of decrypting `token`, or kAccepted. Comparing whole messages also
// checks that they carry no key, token or plaintext.
std::string outcome(const FernetKey& key, std::string_view token, std::optional<uint64_t> ttl = {},
                    std::optional<uint64_t> now = {}) {
  try {
    fernet_decrypt(key, token, ttl, now);
    return kAccepted;
  } catch (const FernetError& e) {
    return e.what();
  }
}

std::vector<uint8_t> decode(std::string_view token) {
  const auto raw = base64url_decode(token);
  REQUIRE(raw);
  return *raw;
}

// Token bytes without the HMAC.
std::vector<uint8_t> unsigned_part(std::string_view token) {
  std::vector<uint8_t> raw = decode(token);
  raw.resize(raw.size() - 32);
  return raw;
}

// Appends an HMAC computed with OpenSSL directly, not by the library under test, so that
// only the defect deliberately put in `body` is wrong.
std::string sign(const FernetKey& key, std::vector<uint8_t> body) {
  uint8_t mac[32];
  size_t size = 0;
  REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.signing_key().data(), 16, body.data(), body.size(),
                    mac, sizeof mac, &size));
  body.insert(body.end(), mac, mac + size);
  return base64url_encode(body);
}

// version | timestamp | IV | ciphertext
std::vector<uint8_t> token_body(uint8_t version, uint64_t timestamp, const std::vector<uint8_t>& ciphertext) {
  std::vector<uint8_t> body{version};
  for (int shift = 56; shift >= 0; shift -= 8) body.push_back(static_cast<uint8_t>(timestamp >> shift));
  body.insert(body.end(), kIv.begin(), kIv.end());
  body.insert(body.end(), ciphertext.begin(), ciphertext.end());
  return body;
}

// AES-128-CBC of whole blocks with no padding added, to forge bad padding.
std::vector<uint8_t> cbc_without_padding(const FernetKey& key, const std::vector<uint8_t>& blocks) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::vector<uint8_t> out(blocks.size());
  int size = 0;
  REQUIRE(EVP_EncryptInit_ex2(ctx.get(), EVP_aes_128_cbc(), key.encryption_key().data(), kIv.data(), nullptr));
  REQUIRE(EVP_CIPHER_CTX_set_padding(ctx.get(), 0));
  REQUIRE(EVP_EncryptUpdate(ctx.get(), out.data(), &size, blocks.data(), static_cast<int>(blocks.size())));
  REQUIRE(size == static_cast<int>(blocks.size()));
  return out;
}

const char* region(size_t offset, size_t token_size) {
  if (offset == 0) return "version";
  if (offset < 9) return "timestamp";
  if (offset < 25) return "IV";
  return offset < token_size - 32 ? "ciphertext" : "HMAC";
}

}  // namespace

TEST_CASE("FernetKey parses, encodes and generates keys") {
  CHECK(FernetKey::parse(kSpecKey).encoded() == kSpecKey);
  const FernetKey a = FernetKey::generate(), b = FernetKey::generate();
  CHECK(a.encoded().size() == 44);
  CHECK(a.encoded() != b.encoded());
  CHECK(FernetKey::parse(a.encoded()).encoded() == a.encoded());
  CHECK(std::equal(a.signing_key().begin(), a.signing_key().end(), decode(a.encoded()).begin()));
  CHECK(std::equal(a.encryption_key().begin(), a.encryption_key().end(), decode(a.encoded()).begin() + 16));
}

TEST_CASE("FernetKey::parse refuses bad keys without echoing them") {
  const std::string bad_keys[] = {
      "",
      kSpecKey.substr(0, 43),                          // no padding
      kSpecKey + "\n",                                 // trailing newline (Python accepts it)
      "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e5=",  // non-zero unused bits (Python accepts it)
      "cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=",  // standard alphabet (Python accepts it)
      base64url_encode(std::vector<uint8_t>(31, 7)),   // 31 bytes
      base64url_encode(std::vector<uint8_t>(33, 7)),   // 33 bytes
      kSpecToken,                                      // not a key at all
  };
  for (const std::string& bad : bad_keys) {
    INFO(bad);
    try {
      FernetKey::parse(bad);
      FAIL("accepted");
    } catch (const FernetError& e) {
      CHECK(e.what() == kBadKey);
      CHECK(e.kind() == Kind::invalid_key);
    }
  }
}

TEST_CASE("encrypt and decrypt round-trip plaintexts around the block size") {
  const FernetKey key = FernetKey::generate();
  std::vector<size_t> sizes = {1024, 65537};
  for (size_t n = 0; n <= 33; ++n) sizes.push_back(n);
  for (const size_t n : sizes) {
    INFO("plaintext size " << n);
    std::vector<uint8_t> plaintext(n);
    for (size_t i = 0; i < n; ++i) plaintext[i] = static_cast<uint8_t>(i * 131);
    const auto before = static_cast<uint64_t>(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
    const std::string token = fernet_encrypt(key, plaintext);
    CHECK(decode(token).size() == 57 + (n / 16 + 1) * 16);
    CHECK(fernet_decrypt(key, token) == plaintext);
    CHECK(fernet_timestamp(token) >= before);
    CHECK(fernet_timestamp(token) <= before + 1);
  }
  CHECK(fernet_encrypt(key, to_bytes("same")) != fernet_encrypt(key, to_bytes("same")));  // fresh IV
}

TEST_CASE("the spec's generate vector is reproduced byte for byte") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  CHECK(fernet_encrypt(key, to_bytes("hello"), kSpecTime, kIv) == kSpecToken);
  CHECK(to_string(fernet_decrypt(key, kSpecToken, 60, kSpecTime + 1)) == "hello");
}

TEST_CASE("a flipped bit anywhere in the token is refused") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  const std::vector<uint8_t> raw = decode(fernet_encrypt(key, to_bytes("two blocks of plaintext"), kSpecTime, kIv));
  REQUIRE(raw.size() == 25 + 32 + 32);
  for (size_t offset = 0; offset < raw.size(); ++offset) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> tampered = raw;
      tampered[offset] ^= static_cast<uint8_t>(1 << bit);
      INFO(region(offset, raw.size()) << " byte " << offset << " bit " << bit);
      CHECK(outcome(key, base64url_encode(tampered)) == (offset == 0 ? kMalformed : kBadSignature));
    }
  }
}

TEST_CASE("truncated tokens are refused") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  const std::string token = fernet_encrypt(key, to_bytes("two blocks of plaintext"), kSpecTime, kIv);
  const std::vector<uint8_t> raw = decode(token);
  for (size_t size = 0; size < raw.size(); ++size) {
    INFO("first " << size << " bytes");
    CHECK(outcome(key, base64url_encode(std::span(raw).first(size))) != kAccepted);
  }
  for (size_t cut = 1; cut <= 8; ++cut) {
    INFO("text minus " << cut << " characters");
    CHECK(outcome(key, token.substr(0, token.size() - cut)) == kMalformed);
  }
  CHECK(outcome(key, "") == kMalformed);
}

TEST_CASE("a token is refused under another key") {
  const std::string token = fernet_encrypt(FernetKey::generate(), to_bytes("secret"));
  CHECK(outcome(FernetKey::generate(), token) == kBadSignature);
}

TEST_CASE("a validly signed token with another version byte is refused") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  std::vector<uint8_t> body = unsigned_part(kSpecToken);
  REQUIRE(sign(key, body) == kSpecToken);  // the forger's signatures are genuine
  for (const uint8_t version : {0x00, 0x7f, 0x81, 0xff}) {
    INFO("version " << int(version));
    body[0] = version;
    CHECK(outcome(key, sign(key, body)) == kMalformed);
  }
}

TEST_CASE("validly signed tokens with bad ciphertext are refused") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  auto forged = [&](const std::vector<uint8_t>& ciphertext) {
    return outcome(key, sign(key, token_body(0x80, kSpecTime, ciphertext)));
  };
  auto block = [](uint8_t fill, std::initializer_list<uint8_t> tail) {
    std::vector<uint8_t> b(16 - tail.size(), fill);
    b.insert(b.end(), tail);
    return b;
  };
  // The forger is sound: correct padding is accepted.
  CHECK(forged(cbc_without_padding(key, block('a', {1}))) == kAccepted);

  CHECK(forged({}) == kMalformed);                           // empty ciphertext
  CHECK(forged(std::vector<uint8_t>(15, 1)) == kMalformed);  // not whole blocks
  CHECK(forged(std::vector<uint8_t>(17, 1)) == kMalformed);
  CHECK(forged(cbc_without_padding(key, block('a', {0}))) == kMalformed);        // pad byte 0
  CHECK(forged(cbc_without_padding(key, block('a', {17}))) == kMalformed);       // pad byte > 16
  CHECK(forged(cbc_without_padding(key, block('a', {3, 2, 3}))) == kMalformed);  // inconsistent
}

TEST_CASE("ttl: expiry and clock skew follow Python's rule") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  const std::string token = fernet_encrypt(key, to_bytes("hello"), kSpecTime, kIv);

  CHECK(outcome(key, token, 60, kSpecTime + 60) == kAccepted);
  CHECK(outcome(key, token, 60, kSpecTime + 61) == kExpired);
  CHECK(outcome(key, token, 60, kSpecTime - 60) == kAccepted);
  CHECK(outcome(key, token, 60, kSpecTime - 61) == kFuture);
  CHECK(outcome(key, token, {}, kSpecTime + 1000000) == kAccepted);  // no ttl: no time check
  CHECK(outcome(key, token, {}, 0) == kAccepted);

  SECTION("time is checked only after the signature") {
    CHECK(outcome(FernetKey::generate(), token, 60, kSpecTime + 61) == kBadSignature);
  }
  SECTION("the system clock is the default") {
    CHECK(outcome(key, fernet_encrypt(key, to_bytes("now")), 60) == kAccepted);
    CHECK(outcome(key, token, 60) == kExpired);
  }
  SECTION("extreme values do not overflow") {
    const std::string last = fernet_encrypt(key, to_bytes("x"), kMax, kIv);
    const std::string first = fernet_encrypt(key, to_bytes("x"), 0, kIv);
    CHECK(fernet_timestamp(last) == kMax);
    CHECK(outcome(key, last, kMax, 0) == kFuture);
    CHECK(outcome(key, last, 0, kMax) == kAccepted);
    CHECK(outcome(key, last, 1, kMax - 60) == kAccepted);
    CHECK(outcome(key, last, 1, kMax - 61) == kFuture);
    CHECK(outcome(key, first, 0, 0) == kAccepted);
    CHECK(outcome(key, first, 0, 1) == kExpired);
    CHECK(outcome(key, first, kMax, kMax) == kAccepted);
  }
}

TEST_CASE("FernetError kinds match the failure classes") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  auto kind = [&](std::string_view token, std::optional<uint64_t> now = {}) {
    try {
      fernet_decrypt(key, token, 60, now);
    } catch (const FernetError& e) {
      return e.kind();
    }
    FAIL("accepted");
    return Kind::invalid_key;
  };
  CHECK(kind("garbage") == Kind::malformed);
  CHECK(kind(fernet_encrypt(FernetKey::generate(), to_bytes("x"))) == Kind::bad_signature);
  CHECK(kind(kSpecToken, kSpecTime + 61) == Kind::expired);
  CHECK(kind(kSpecToken, kSpecTime - 61) == Kind::future_timestamp);
}

TEST_CASE("tokens in non-canonical base64 are refused, though Python accepts them") {
  const FernetKey key = FernetKey::parse(kSpecKey);
  REQUIRE(outcome(key, kSpecToken) == kAccepted);
  std::string standard_alphabet = kSpecToken;
  std::replace(standard_alphabet.begin(), standard_alphabet.end(), '-', '+');
  std::replace(standard_alphabet.begin(), standard_alphabet.end(), '_', '/');
  std::string unused_bits = kSpecToken;
  unused_bits.replace(unused_bits.size() - 3, 1, "B");  // "...DA==" -> "...DB=="
  const std::string variants[] = {
      kSpecToken + "\n",
      " " + kSpecToken,
      kSpecToken.substr(0, 40) + "\r\n" + kSpecToken.substr(40),
      kSpecToken + "==",
      standard_alphabet,
      unused_bits,
      kSpecToken.substr(0, kSpecToken.size() - 2),  // missing padding (Python refuses it too)
  };
  for (const std::string& variant : variants) {
    INFO(variant);
    CHECK(outcome(key, variant) == kMalformed);
  }
}

TEST_CASE("fernet_timestamp reads the timestamp without a key and without verifying") {
  CHECK(fernet_timestamp(kSpecToken) == kSpecTime);
  std::vector<uint8_t> forged = decode(kSpecToken);
  forged.back() ^= 1;
  CHECK(fernet_timestamp(base64url_encode(forged)) == kSpecTime);
  CHECK_FALSE(fernet_timestamp(""));
  CHECK_FALSE(fernet_timestamp("garbage"));
  CHECK_FALSE(fernet_timestamp(kSpecToken.substr(0, 40)));
}

TEST_CASE("MultiFernet encrypts with the first key and decrypts with any") {
  const FernetKey k1 = FernetKey::generate(), k2 = FernetKey::generate(), k3 = FernetKey::generate();
  const MultiFernet multi({k1, k2});
  const std::vector<uint8_t> plaintext = to_bytes("multi");

  const std::string token = multi.encrypt(plaintext);
  CHECK(fernet_decrypt(k1, token) == plaintext);
  CHECK(outcome(k2, token) == kBadSignature);
  CHECK(multi.decrypt(token) == plaintext);
  CHECK(multi.decrypt(fernet_encrypt(k2, plaintext)) == plaintext);
  CHECK_THROWS_WITH(multi.decrypt(fernet_encrypt(k3, plaintext)), kBadSignature);
  CHECK_THROWS_WITH(multi.decrypt(fernet_encrypt(k2, plaintext, 1000, kIv), 60, 1061), kExpired);
  CHECK(multi.decrypt(fernet_encrypt(k2, plaintext, 1000, kIv), 60, 1060) == plaintext);
  CHECK_THROWS_AS(MultiFernet({}), std::invalid_argument);
}

TEST_CASE("MultiFernet::rotate re-encrypts under the first key and keeps the timestamp") {
  const FernetKey old_key = FernetKey::generate(), new_key = FernetKey::generate();
  const MultiFernet multi({new_key, old_key});
  const std::vector<uint8_t> plaintext = to_bytes("rotate me");
  const std::string token = fernet_encrypt(old_key, plaintext, 1000000000, kIv);

  const std::string rotated = multi.rotate(token);
  CHECK(fernet_timestamp(rotated) == 1000000000);
  CHECK(fernet_decrypt(new_key, rotated) == plaintext);
  CHECK(outcome(old_key, rotated) == kBadSignature);
  const std::vector<uint8_t> rotated_raw = decode(rotated);
  CHECK_FALSE(std::equal(kIv.begin(), kIv.end(), rotated_raw.begin() + 9));  // fresh IV
  CHECK(fernet_decrypt(new_key, multi.rotate(rotated)) == plaintext);
  CHECK_THROWS_WITH(multi.rotate(fernet_encrypt(FernetKey::generate(), plaintext)), kBadSignature);
  CHECK_THROWS_WITH(multi.rotate("garbage"), kMalformed);
}

TEST_CASE("MultiFernet::parse_key_list") {
  const FernetKey k1 = FernetKey::generate(), k2 = FernetKey::generate();
  const std::vector<uint8_t> plaintext = to_bytes("listed");

  const MultiFernet multi = MultiFernet::parse_key_list(" " + k1.encoded() + " ,\t" + k2.encoded() + "\n");
  CHECK(fernet_decrypt(k1, multi.encrypt(plaintext)) == plaintext);
  CHECK(multi.decrypt(fernet_encrypt(k2, plaintext)) == plaintext);
  CHECK(MultiFernet::parse_key_list(k2.encoded()).decrypt(fernet_encrypt(k2, plaintext)) == plaintext);

  const std::string rule = ": must be 32 bytes encoded as url-safe base64 (44 characters)";
  CHECK_THROWS_WITH(MultiFernet::parse_key_list(""), "invalid Fernet key #1: empty");
  CHECK_THROWS_WITH(MultiFernet::parse_key_list(" , "), "invalid Fernet key #1: empty");
  CHECK_THROWS_WITH(MultiFernet::parse_key_list(k1.encoded() + ",," + k2.encoded()), "invalid Fernet key #2: empty");
  CHECK_THROWS_WITH(MultiFernet::parse_key_list(k1.encoded() + ","), "invalid Fernet key #2: empty");
  CHECK_THROWS_WITH(MultiFernet::parse_key_list("not-a-key, " + k1.encoded()), "invalid Fernet key #1" + rule);
  CHECK_THROWS_WITH(MultiFernet::parse_key_list(k1.encoded() + "," + k2.encoded() + ",x" + k1.encoded()),
                    "invalid Fernet key #3" + rule);
  CHECK_THROWS_AS(MultiFernet::parse_key_list("x"), FernetError);
}
