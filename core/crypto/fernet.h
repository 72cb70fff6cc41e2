#pragma once
// Fernet tokens (https://github.com/fernet/spec), interchangeable with Python's
// cryptography.fernet:
//
//   key   = base64url( signing key (16) | encryption key (16) )
//   token = base64url( 0x80 | timestamp (u64 big-endian seconds) | IV (16)
//                      | AES-128-CBC-PKCS7(plaintext) | HMAC-SHA256 of all before it (32) )
//
// Base64 rule: keys and tokens must be canonical, padded url-safe base64 (see
// base64url.h). Python's urlsafe_b64decode is more lenient: it drops characters outside
// the alphabet anywhere in the text (whitespace, newlines, '%'), also takes '+' and '/',
// ignores surplus '=' and non-zero unused bits. Python's encoder never produces any of
// that, so every key and token made here or by Python is accepted; rejecting the variants
// gives each token a single text form. Missing padding is rejected by both.
// (MultiFernet::parse_key_list trims whitespace around each key of the list.)
//
// Decryption checks, in order: layout (version byte 0x80, lengths: "malformed"), HMAC in
// constant time ("bad signature or wrong key"), then, only when a ttl is given like in
// Python, age ("expired" when timestamp + ttl < now) and clock skew ("timestamp too far
// in the future" when now + 60 < timestamp), and last AES-CBC with PKCS7 unpadding
// ("malformed"). Python checks time before the HMAC; the accepted tokens are the same,
// but here "expired" is only reported for authentic tokens. Error messages never contain
// key material, token text or plaintext.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::crypto {

class FernetError : public std::runtime_error {
 public:
  enum class Kind { invalid_key, malformed, bad_signature, expired, future_timestamp };

  FernetError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

class FernetKey {
 public:
  // Throws FernetError (invalid_key) unless the text is 32 bytes in canonical base64url.
  static FernetKey parse(std::string_view base64url_key);
  static FernetKey generate();

  FernetKey(const FernetKey&) = default;
  FernetKey& operator=(const FernetKey&) = default;
  ~FernetKey();  // wipes the key bytes

  std::string encoded() const;
  std::span<const uint8_t, 16> signing_key() const noexcept { return std::span(bytes_).first<16>(); }
  std::span<const uint8_t, 16> encryption_key() const noexcept { return std::span(bytes_).last<16>(); }

 private:
  FernetKey() = default;
  std::array<uint8_t, 32> bytes_{};
};

// Timestamp = now, random IV.
std::string fernet_encrypt(const FernetKey& key, std::span<const uint8_t> plaintext);
// Explicit timestamp and IV, for the spec vectors and MultiFernet::rotate.
std::string fernet_encrypt(const FernetKey& key, std::span<const uint8_t> plaintext, uint64_t now_seconds,
                           std::span<const uint8_t, 16> iv);

// Throws FernetError. now_seconds (default: the system clock) only matters with a ttl.
std::vector<uint8_t> fernet_decrypt(const FernetKey& key, std::string_view token,
                                    std::optional<uint64_t> ttl_seconds = {}, std::optional<uint64_t> now_seconds = {});

// The timestamp of a well-formed token, NOT authenticated (no key): for metadata
// listings only, never for access decisions. nullopt if malformed.
std::optional<uint64_t> fernet_timestamp(std::string_view token);

// Key rotation, as Python's MultiFernet: encrypts with the first key, decrypts with
// whichever key signed the token.
class MultiFernet {
 public:
  explicit MultiFernet(std::vector<FernetKey> keys);  // throws std::invalid_argument if empty

  // "key1, key2, ..." with optional whitespace around each key. Errors name the position
  // ("invalid Fernet key #2: ..."), never the text.
  static MultiFernet parse_key_list(std::string_view comma_separated);

  std::string encrypt(std::span<const uint8_t> plaintext) const;
  std::vector<uint8_t> decrypt(std::string_view token, std::optional<uint64_t> ttl_seconds = {},
                               std::optional<uint64_t> now_seconds = {}) const;
  // Re-encrypts under the first key with a fresh IV, keeping the original timestamp.
  std::string rotate(std::string_view token) const;

 private:
  std::vector<FernetKey> keys_;
};

}  // namespace mcpauth::crypto
