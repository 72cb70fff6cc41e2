#include "crypto/fernet.h"

#include "crypto/base64url.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <memory>

namespace mcpauth::crypto {
namespace {

using Kind = FernetError::Kind;

constexpr uint8_t kVersion = 0x80;
constexpr size_t kTimestampSize = 8;
constexpr size_t kIvSize = 16;
constexpr size_t kHeaderSize = 1 + kTimestampSize + kIvSize;
constexpr size_t kBlockSize = 16;
constexpr size_t kMacSize = 32;
constexpr uint64_t kMaxClockSkew = 60;
constexpr std::string_view kKeyRule = "must be 32 bytes encoded as url-safe base64 (44 characters)";

[[noreturn]] void reject(Kind kind, const char* reason) {
  throw FernetError(kind, std::string("invalid token: ") + reason);
}

[[noreturn]] void openssl_failure(const char* what) {
  throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;

// Fetched once: OpenSSL 3 would otherwise look the algorithm up on every operation.
const EVP_CIPHER* aes_128_cbc_cipher() {
  static const CipherPtr cipher(EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr));
  if (!cipher) openssl_failure("fetch AES-128-CBC");
  return cipher.get();
}

EVP_MAC* hmac_algorithm() {
  static const MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) openssl_failure("fetch HMAC");
  return mac.get();
}

using Mac = std::array<uint8_t, kMacSize>;

Mac hmac_sha256(std::span<const uint8_t, 16> key, std::span<const uint8_t> data) {
  static char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  const MacCtxPtr ctx(EVP_MAC_CTX_new(hmac_algorithm()));
  Mac mac;
  size_t size = 0;
  if (!ctx || !EVP_MAC_init(ctx.get(), key.data(), key.size(), params) ||
      !EVP_MAC_update(ctx.get(), data.data(), data.size()) ||
      !EVP_MAC_final(ctx.get(), mac.data(), &size, mac.size()) || size != mac.size())
    openssl_failure("HMAC-SHA256");
  return mac;
}

// AES-128-CBC with PKCS7 padding into `out`, which needs room for in.size() + kBlockSize
// bytes. Returns the output size, or nullopt when decryption finds bad padding.
std::optional<size_t> aes_128_cbc(bool encrypt, std::span<const uint8_t, 16> key, std::span<const uint8_t> iv,
                                  std::span<const uint8_t> in, uint8_t* out) {
  if (in.size() > INT_MAX - kBlockSize) throw std::length_error("Fernet: message too large");
  const CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int update_size = 0;
  int final_size = 0;
  if (!ctx || !EVP_CipherInit_ex2(ctx.get(), aes_128_cbc_cipher(), key.data(), iv.data(), encrypt, nullptr) ||
      !EVP_CipherUpdate(ctx.get(), out, &update_size, in.data(), static_cast<int>(in.size())))
    openssl_failure("AES-128-CBC");
  if (!EVP_CipherFinal_ex(ctx.get(), out + update_size, &final_size)) {
    if (encrypt) openssl_failure("AES-128-CBC");
    ERR_clear_error();  // "bad decrypt" is our answer, not a stale error for the next OpenSSL caller
    return std::nullopt;
  }
  return static_cast<size_t>(update_size + final_size);
}

uint64_t unix_now() {
  using namespace std::chrono;
  const auto seconds = duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
  return seconds > 0 ? static_cast<uint64_t>(seconds) : 0;
}

std::array<uint8_t, kIvSize> random_iv() {
  std::array<uint8_t, kIvSize> iv;
  if (RAND_bytes(iv.data(), iv.size()) != 1) openssl_failure("RAND_bytes");
  return iv;
}

// A decoded token whose layout is valid; nothing in it is authenticated yet.
struct RawToken {
  std::vector<uint8_t> bytes;

  uint64_t timestamp() const {
    uint64_t value = 0;
    for (size_t i = 1; i <= kTimestampSize; ++i) value = value << 8 | bytes[i];
    return value;
  }
  std::span<const uint8_t> iv() const { return std::span(bytes).subspan(1 + kTimestampSize, kIvSize); }
  std::span<const uint8_t> ciphertext() const {
    return std::span(bytes).subspan(kHeaderSize, bytes.size() - kHeaderSize - kMacSize);
  }
  std::span<const uint8_t> signed_part() const { return std::span(bytes).first(bytes.size() - kMacSize); }
  std::span<const uint8_t> mac() const { return std::span(bytes).last(kMacSize); }
};

std::optional<RawToken> decode_token(std::string_view token) {
  auto bytes = base64url_decode(token);
  if (!bytes || bytes->size() < kHeaderSize + kBlockSize + kMacSize ||
      (bytes->size() - kHeaderSize - kMacSize) % kBlockSize != 0 || (*bytes)[0] != kVersion)
    return std::nullopt;
  return RawToken{std::move(*bytes)};
}

// Python's rule, written so that no sum can overflow:
// reject if timestamp + ttl < now, or if now + kMaxClockSkew < timestamp.
void check_age(uint64_t timestamp, uint64_t ttl, uint64_t now) {
  if (now > ttl && timestamp < now - ttl) reject(Kind::expired, "expired");
  if (timestamp > kMaxClockSkew && timestamp - kMaxClockSkew > now)
    reject(Kind::future_timestamp, "timestamp too far in the future");
}

struct Opened {
  uint64_t timestamp;
  std::vector<uint8_t> plaintext;
};

// Decryption for one key or several: the first key whose HMAC matches decides.
Opened open_token(std::span<const FernetKey> keys, std::string_view token, std::optional<uint64_t> ttl,
                  std::optional<uint64_t> now) {
  const std::optional<RawToken> raw = decode_token(token);
  if (!raw) reject(Kind::malformed, "malformed");
  const auto signer = std::find_if(keys.begin(), keys.end(), [&](const FernetKey& key) {
    const Mac expected = hmac_sha256(key.signing_key(), raw->signed_part());
    return CRYPTO_memcmp(expected.data(), raw->mac().data(), kMacSize) == 0;
  });
  if (signer == keys.end()) reject(Kind::bad_signature, "bad signature or wrong key");
  if (ttl) check_age(raw->timestamp(), *ttl, now ? *now : unix_now());

  std::vector<uint8_t> plaintext(raw->ciphertext().size() + kBlockSize);
  const auto size = aes_128_cbc(false, signer->encryption_key(), raw->iv(), raw->ciphertext(), plaintext.data());
  if (!size) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    reject(Kind::malformed, "malformed");
  }
  plaintext.resize(*size);
  return {raw->timestamp(), std::move(plaintext)};
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

}  // namespace

FernetKey FernetKey::parse(std::string_view base64url_key) {
  std::optional<std::vector<uint8_t>> bytes = base64url_decode(base64url_key);
  const bool valid = bytes && bytes->size() == 32;
  FernetKey key;
  if (valid) std::copy(bytes->begin(), bytes->end(), key.bytes_.begin());
  if (bytes) OPENSSL_cleanse(bytes->data(), bytes->size());
  if (!valid) throw FernetError(Kind::invalid_key, "invalid Fernet key: " + std::string(kKeyRule));
  return key;
}

FernetKey FernetKey::generate() {
  FernetKey key;
  if (RAND_bytes(key.bytes_.data(), key.bytes_.size()) != 1) openssl_failure("RAND_bytes");
  return key;
}

FernetKey::~FernetKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

std::string FernetKey::encoded() const { return base64url_encode(bytes_); }

std::string fernet_encrypt(const FernetKey& key, std::span<const uint8_t> plaintext) {
  return fernet_encrypt(key, plaintext, unix_now(), random_iv());
}

std::string fernet_encrypt(const FernetKey& key, std::span<const uint8_t> plaintext, uint64_t now_seconds,
                           std::span<const uint8_t, 16> iv) {
  const size_t ciphertext_size = (plaintext.size() / kBlockSize + 1) * kBlockSize;  // PKCS7 adds 1..16 bytes
  std::vector<uint8_t> token(kHeaderSize + ciphertext_size + kMacSize);
  token[0] = kVersion;
  for (size_t i = 0; i < kTimestampSize; ++i) token[1 + i] = static_cast<uint8_t>(now_seconds >> (56 - 8 * i));
  std::copy(iv.begin(), iv.end(), token.begin() + 1 + kTimestampSize);
  aes_128_cbc(true, key.encryption_key(), iv, plaintext, token.data() + kHeaderSize);
  const Mac mac = hmac_sha256(key.signing_key(), std::span(token).first(kHeaderSize + ciphertext_size));
  std::copy(mac.begin(), mac.end(), token.end() - kMacSize);
  return base64url_encode(token);
}

std::vector<uint8_t> fernet_decrypt(const FernetKey& key, std::string_view token, std::optional<uint64_t> ttl_seconds,
                                    std::optional<uint64_t> now_seconds) {
  return open_token(std::span(&key, 1), token, ttl_seconds, now_seconds).plaintext;
}

std::optional<uint64_t> fernet_timestamp(std::string_view token) {
  const std::optional<RawToken> raw = decode_token(token);
  if (!raw) return std::nullopt;
  return raw->timestamp();
}

MultiFernet::MultiFernet(std::vector<FernetKey> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) throw std::invalid_argument("MultiFernet requires at least one key");
}

MultiFernet MultiFernet::parse_key_list(std::string_view comma_separated) {
  std::vector<FernetKey> keys;
  size_t start = 0;
  for (size_t position = 1;; ++position) {
    const size_t comma = comma_separated.find(',', start);
    const std::string_view item = trim(comma_separated.substr(start, comma - start));
    const std::string label = "invalid Fernet key #" + std::to_string(position) + ": ";
    if (item.empty()) throw FernetError(Kind::invalid_key, label + "empty");
    try {
      keys.push_back(FernetKey::parse(item));
    } catch (const FernetError&) {
      throw FernetError(Kind::invalid_key, label + std::string(kKeyRule));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return MultiFernet(std::move(keys));
}

std::string MultiFernet::encrypt(std::span<const uint8_t> plaintext) const {
  return fernet_encrypt(keys_.front(), plaintext);
}

std::vector<uint8_t> MultiFernet::decrypt(std::string_view token, std::optional<uint64_t> ttl_seconds,
                                          std::optional<uint64_t> now_seconds) const {
  return open_token(keys_, token, ttl_seconds, now_seconds).plaintext;
}

std::string MultiFernet::rotate(std::string_view token) const {
  Opened opened = open_token(keys_, token, std::nullopt, std::nullopt);
  std::string rotated = fernet_encrypt(keys_.front(), opened.plaintext, opened.timestamp, random_iv());
  OPENSSL_cleanse(opened.plaintext.data(), opened.plaintext.size());
  return rotated;
}

}  // namespace mcpauth::crypto
