#include "client_assertion.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <array>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "test_support.h"

using mcpauth::oauth21::client_assertion_claims;
using mcpauth::oauth21::KeyError;
using mcpauth::oauth21::SigningKey;

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

PkeyPtr require_key(EVP_PKEY* key) {
  REQUIRE(key != nullptr);
  return PkeyPtr(key, EVP_PKEY_free);
}

enum class PemForm { kPkcs8, kTraditional, kEncryptedPkcs8, kPublic };

std::string to_pem(EVP_PKEY* key, PemForm form) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  static char passphrase[] = "correct horse";
  int ok = 0;
  switch (form) {
    case PemForm::kPkcs8:
      ok = PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
      break;
    case PemForm::kTraditional:
      ok = PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
      break;
    case PemForm::kEncryptedPkcs8:
      ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_256_cbc(), nullptr, 0, nullptr, passphrase);
      break;
    case PemForm::kPublic:
      ok = PEM_write_bio_PUBKEY(bio.get(), key);
      break;
  }
  REQUIRE(ok == 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

PkeyPtr public_key_from_pem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return require_key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

// Generated once: RSA key generation is slow, especially under valgrind.
struct TestKeys {
  PkeyPtr ec_p256 = require_key(EVP_EC_gen("P-256"));
  PkeyPtr other_ec_p256 = require_key(EVP_EC_gen("P-256"));
  PkeyPtr ec_p384 = require_key(EVP_EC_gen("P-384"));
  PkeyPtr rsa_2048 = require_key(EVP_RSA_gen(2048));
  PkeyPtr rsa_1024 = require_key(EVP_RSA_gen(1024));
  PkeyPtr ed25519 = require_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
};

const TestKeys& keys() {
  static const TestKeys generated;
  return generated;
}

std::string write_file(const mcpauth::test::TempDir& dir, const std::string& name, const std::string& content) {
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::vector<uint8_t> base64url_decode(std::string_view text) {
  REQUIRE(text.find_first_of("+/=") == std::string_view::npos);  // URL-safe alphabet, no padding
  std::string standard(text);
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  const size_t padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  std::vector<uint8_t> out(standard.size() / 4 * 3);
  const int length = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(standard.data()),
                                     static_cast<int>(standard.size()));
  REQUIRE(length >= 0);
  out.resize(static_cast<size_t>(length) - padding);
  return out;
}

std::string decode_to_string(std::string_view text) {
  const std::vector<uint8_t> bytes = base64url_decode(text);
  return std::string(bytes.begin(), bytes.end());
}

struct Jwt {
  std::string header_b64, payload_b64, signature_b64;
  std::string signing_input() const { return header_b64 + "." + payload_b64; }
};

Jwt split(const std::string& jwt) {
  const size_t first = jwt.find('.');
  const size_t second = jwt.find('.', first + 1);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  REQUIRE(jwt.find('.', second + 1) == std::string::npos);
  return {jwt.substr(0, first), jwt.substr(first + 1, second - first - 1), jwt.substr(second + 1)};
}

// JWS R || S back to the DER form OpenSSL verifies.
std::vector<uint8_t> es256_raw_to_der(const std::vector<uint8_t>& raw) {
  REQUIRE(raw.size() == 64);
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(ECDSA_SIG_new(), ECDSA_SIG_free);
  REQUIRE(ECDSA_SIG_set0(signature.get(), BN_bin2bn(raw.data(), 32, nullptr),
                         BN_bin2bn(raw.data() + 32, 32, nullptr)) == 1);
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(signature.get(), &der);
  REQUIRE(length > 0);
  std::vector<uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

// Verifies with OpenSSL directly, from the public key only: SHA-256 with ECDSA or RSASSA-PKCS1-v1_5.
bool signature_verifies(const std::string& jwt, EVP_PKEY* private_key) {
  const PkeyPtr public_key = public_key_from_pem(to_pem(private_key, PemForm::kPublic));
  const Jwt parts = split(jwt);
  std::vector<uint8_t> signature = base64url_decode(parts.signature_b64);
  if (EVP_PKEY_is_a(public_key.get(), "EC")) signature = es256_raw_to_der(signature);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* key_context = nullptr;
  REQUIRE(EVP_DigestVerifyInit(context.get(), &key_context, EVP_sha256(), nullptr, public_key.get()) == 1);
  if (EVP_PKEY_is_a(public_key.get(), "RSA")) {
    REQUIRE(EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) == 1);
  }
  const std::string input = parts.signing_input();
  const int result = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                      reinterpret_cast<const unsigned char*>(input.data()), input.size());
  ERR_clear_error();
  return result == 1;
}

Poco::JSON::Object::Ptr parse_json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// The message of the KeyError that loading `path` throws.
std::string key_error_for(const std::string& path) {
  try {
    SigningKey::load_pem_file(path);
  } catch (const KeyError& error) {
    return error.what();
  }
  FAIL("no KeyError for " << path);
  return {};
}

// No run of 12 characters of the PEM body appears in the message.
void check_no_key_material(const std::string& message, const std::string& pem) {
  CHECK(message.find("-----") == std::string::npos);
  std::string body;
  for (size_t start = 0; start < pem.size();) {
    const size_t end = std::min(pem.find('\n', start), pem.size());
    const std::string line = pem.substr(start, end - start);
    if (!line.starts_with("-----") && line.find(':') == std::string::npos) body += line;
    start = end + 1;
  }
  REQUIRE(body.size() > 12);
  for (size_t at = 0; at + 12 <= body.size(); ++at) {
    if (message.find(body.substr(at, 12)) != std::string::npos) FAIL("key material in: " << message);
  }
}

const std::string kPayload = R"({"iss":"client","sub":"client","aud":"https://as.example.com","exp":1700000300})";

}  // namespace

TEST_CASE("ES256: signs a JWT whose raw R||S signature OpenSSL verifies with the public key") {
  mcpauth::test::TempDir dir("es256");
  const auto form = GENERATE(PemForm::kPkcs8, PemForm::kTraditional);
  const std::string path = write_file(dir, "ec.pem", to_pem(keys().ec_p256.get(), form));

  const SigningKey key = SigningKey::load_pem_file(path);
  CHECK(key.algorithm() == "ES256");
  CHECK(ERR_peek_error() == 0);
  const std::string jwt = key.sign_jwt(kPayload, "key-1");
  const Jwt parts = split(jwt);
  CHECK(decode_to_string(parts.header_b64) == R"({"alg":"ES256","typ":"JWT","kid":"key-1"})");
  CHECK(decode_to_string(parts.payload_b64) == kPayload);
  CHECK(base64url_decode(parts.signature_b64).size() == 64);

  CHECK(signature_verifies(jwt, keys().ec_p256.get()));
  CHECK_FALSE(signature_verifies(jwt, keys().other_ec_p256.get()));
  std::string tampered = jwt;
  tampered[parts.header_b64.size() + 5] ^= 1;
  CHECK_FALSE(signature_verifies(tampered, keys().ec_p256.get()));

  // ECDSA draws a fresh nonce: another signature of the same input, also valid.
  const std::string again = key.sign_jwt(kPayload, "key-1");
  CHECK(again != jwt);
  CHECK(signature_verifies(again, keys().ec_p256.get()));
}

TEST_CASE("RS256: signs a JWT with RSASSA-PKCS1-v1_5 that OpenSSL verifies with the public key") {
  mcpauth::test::TempDir dir("rs256");
  const auto form = GENERATE(PemForm::kPkcs8, PemForm::kTraditional);
  const std::string path = write_file(dir, "rsa.pem", to_pem(keys().rsa_2048.get(), form));

  const SigningKey key = SigningKey::load_pem_file(path);
  CHECK(key.algorithm() == "RS256");
  const std::string jwt = key.sign_jwt(kPayload, "");
  const Jwt parts = split(jwt);
  CHECK(decode_to_string(parts.header_b64) == R"({"alg":"RS256","typ":"JWT"})");  // no kid when none is given
  CHECK(decode_to_string(parts.payload_b64) == kPayload);
  CHECK(base64url_decode(parts.signature_b64).size() == 256);
  CHECK(signature_verifies(jwt, keys().rsa_2048.get()));
  CHECK(key.sign_jwt(kPayload, "") == jwt);  // PKCS#1 v1.5 is deterministic; PSS would not be

  // A character inside the signature: the last one also carries unused bits.
  std::string tampered = jwt;
  char& inside = tampered[tampered.size() - 20];
  inside = inside == 'A' ? 'B' : 'A';
  CHECK_FALSE(signature_verifies(tampered, keys().rsa_2048.get()));
}

TEST_CASE("from_pem reads a key held in memory, and the kid is escaped as JSON") {
  const SigningKey key = SigningKey::from_pem(to_pem(keys().ec_p256.get(), PemForm::kPkcs8), "config client_key");
  const std::string kid = "a\"b\\c\n\xc3\xa9";
  const std::string jwt = key.sign_jwt("{}", kid);
  const Poco::JSON::Object::Ptr header = parse_json(decode_to_string(split(jwt).header_b64));
  CHECK(header->getValue<std::string>("kid") == kid);
  CHECK(header->getValue<std::string>("alg") == "ES256");
  CHECK(header->getValue<std::string>("typ") == "JWT");
  CHECK(signature_verifies(jwt, keys().ec_p256.get()));
}

TEST_CASE("a SigningKey can be moved") {
  SigningKey first = SigningKey::from_pem(to_pem(keys().ec_p256.get(), PemForm::kPkcs8), "ec");
  SigningKey moved(std::move(first));
  CHECK(moved.algorithm() == "ES256");
  SigningKey assigned = SigningKey::from_pem(to_pem(keys().rsa_2048.get(), PemForm::kPkcs8), "rsa");
  assigned = std::move(moved);
  CHECK(assigned.algorithm() == "ES256");
  CHECK(signature_verifies(assigned.sign_jwt("{}", ""), keys().ec_p256.get()));
}

TEST_CASE("client_assertion_claims: compact JSON with the RFC 7523 claims") {
  std::array<uint8_t, 16> random{};
  for (size_t i = 0; i < random.size(); ++i) random[i] = static_cast<uint8_t>(i * 17);
  const std::string claims = client_assertion_claims("client-1", "https://as.example.com", 1700000000, random);
  CHECK(claims == R"({"iss":"client-1","sub":"client-1","aud":"https://as.example.com","jti":"ABEiM0RVZneImaq7zN3u_w",)"
                  R"("iat":1700000000,"exp":1700000300})");
}

TEST_CASE("client_assertion_claims escapes values so that a JSON parser reads them back") {
  const std::array<uint8_t, 16> random{};
  const std::string client_id = "we\"ird\\client\t\x01/\xe2\x82\xac";
  const std::string claims = client_assertion_claims(client_id, "https://as/\"x\"", 42, random);
  const Poco::JSON::Object::Ptr object = parse_json(claims);
  CHECK(object->getValue<std::string>("iss") == client_id);
  CHECK(object->getValue<std::string>("sub") == client_id);
  CHECK(object->getValue<std::string>("aud") == "https://as/\"x\"");
  CHECK(object->getValue<std::string>("jti") == "AAAAAAAAAAAAAAAAAAAAAA");
  CHECK(object->getValue<int64_t>("iat") == 42);
  CHECK(object->getValue<int64_t>("exp") == 342);
}

TEST_CASE("client_assertion_claims refuses a jti from fewer than 16 random bytes") {
  const std::array<uint8_t, 15> short_random{};
  CHECK_THROWS_AS(client_assertion_claims("c", "a", 0, short_random), std::invalid_argument);
}

TEST_CASE("a signed client assertion carries the claims") {
  const SigningKey key = SigningKey::from_pem(to_pem(keys().rsa_2048.get(), PemForm::kPkcs8), "rsa");
  const std::array<uint8_t, 16> random{1, 2, 3};
  const std::string claims = client_assertion_claims("c", "https://as", 100, random);
  const std::string jwt = key.sign_jwt(claims, "k");
  CHECK(decode_to_string(split(jwt).payload_b64) == claims);
  CHECK(signature_verifies(jwt, keys().rsa_2048.get()));
}

TEST_CASE("keys that cannot be used are refused with a KeyError naming the file, never the key") {
  mcpauth::test::TempDir dir("badkeys");

  SECTION("a file that does not exist") {
    const std::string path = (dir / "missing.pem").string();
    const std::string message = key_error_for(path);
    CHECK_THAT(message,
               Catch::Contains(path) && Catch::Contains("cannot open") && Catch::Contains("No such file or directory"));
  }
  SECTION("a directory") {
    const std::string message = key_error_for(dir.path().string());
    CHECK_THAT(message, Catch::Contains(dir.path().string()) && Catch::Contains("not a regular file"));
  }
  SECTION("an empty file") {
    const std::string path = write_file(dir, "empty.pem", "");
    CHECK_THAT(key_error_for(path), Catch::Contains(path) && Catch::Contains("no PEM private key"));
  }
  SECTION("text that is not PEM") {
    const std::string path = write_file(dir, "notes.txt", "client_secret=abc\nnot a key at all\n");
    const std::string message = key_error_for(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("no PEM private key"));
    CHECK_THAT(message, !Catch::Contains("client_secret"));
  }
  SECTION("a PEM with a broken body") {
    std::string pem = to_pem(keys().ec_p256.get(), PemForm::kPkcs8);
    pem[pem.find('\n') + 10] = '*';
    const std::string path = write_file(dir, "broken.pem", pem);
    const std::string message = key_error_for(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("no PEM private key"));
    check_no_key_material(message, pem);
  }
  SECTION("a public key") {
    const std::string pem = to_pem(keys().ec_p256.get(), PemForm::kPublic);
    const std::string path = write_file(dir, "public.pem", pem);
    const std::string message = key_error_for(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("no PEM private key"));
    check_no_key_material(message, pem);
  }
  SECTION("an EC P-384 key") {
    const std::string pem = to_pem(keys().ec_p384.get(), PemForm::kPkcs8);
    const std::string path = write_file(dir, "p384.pem", pem);
    const std::string message = key_error_for(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("secp384r1") && Catch::Contains("P-256"));
    check_no_key_material(message, pem);
  }
  SECTION("an RSA 1024 key") {
    const std::string pem = to_pem(keys().rsa_1024.get(), PemForm::kTraditional);
    const std::string path = write_file(dir, "rsa1024.pem", pem);
    const std::string message = key_error_for(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("1024 bits") && Catch::Contains("2048"));
    check_no_key_material(message, pem);
  }
  SECTION("an Ed25519 key") {
    const std::string pem = to_pem(keys().ed25519.get(), PemForm::kPkcs8);
    const std::string path = write_file(dir, "ed25519.pem", pem);
    const std::string message = key_error_for(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("unsupported key type ED25519"));
    check_no_key_material(message, pem);
  }
  SECTION("an encrypted key is refused without prompting for a passphrase") {
    const std::string pem = to_pem(keys().ec_p256.get(), PemForm::kEncryptedPkcs8);
    const std::string path = write_file(dir, "encrypted.pem", pem);
    const std::string message = key_error_for(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("encrypted"));
    check_no_key_material(message, pem);
  }
  SECTION("from_pem names its source") {
    const std::string pem = to_pem(keys().rsa_1024.get(), PemForm::kPkcs8);
    try {
      SigningKey::from_pem(pem, "the configured client_key");
      FAIL("no KeyError");
    } catch (const KeyError& error) {
      CHECK_THAT(error.what(), Catch::Contains("the configured client_key") && Catch::Contains("1024 bits"));
      check_no_key_material(error.what(), pem);
    }
  }
  CHECK(ERR_peek_error() == 0);  // nothing left in OpenSSL's error queue for the next caller
}
