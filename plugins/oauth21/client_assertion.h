// private_key_jwt client authentication (RFC 7523 section 2.2, OpenID Connect Core 9): a JWT
// signed with the client's key, sent as client_assertion.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace mcpauth::oauth21 {

// Problems with the key file: the message names the file and what is wrong, never key material.
class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SigningKey {
 public:
  // Reads a PEM private key (PKCS#8, or traditional EC/RSA): EC P-256 -> ES256, RSA (>= 2048
  // bits) -> RS256. Throws KeyError.
  static SigningKey load_pem_file(const std::string& path);
  static SigningKey from_pem(const std::string& pem, const std::string& source_name);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  const std::string& algorithm() const;  // "ES256" or "RS256"

  // header.payload.signature; header {"alg", "typ":"JWT"[, "kid"]}. ES256 signatures are the
  // raw 64-byte R||S form (RFC 7518 section 3.4), not DER.
  std::string sign_jwt(const std::string& payload_json, const std::string& key_id) const;

 private:
  struct Impl;
  explicit SigningKey(Impl* impl);
  Impl* impl_;
};

// Claims of a client assertion: iss = sub = client_id, aud = audience (the AS issuer), jti from
// 16 random bytes (base64url), iat = now, exp = now + 300 s. Returns compact JSON.
std::string client_assertion_claims(const std::string& client_id, const std::string& audience, int64_t now_unix_s,
                                    std::span<const uint8_t> jti_random);

}  // namespace mcpauth::oauth21
