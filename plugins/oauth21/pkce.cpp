#include "pkce.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

namespace mcpauth::oauth21 {

std::string base64url_nopad(std::span<const uint8_t> data) {
  // EVP_EncodeBlock writes standard base64 with padding and a terminating NUL.
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int length =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(length));
  while (!out.empty() && out.back() == '=') out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::string make_code_verifier(std::span<const uint8_t, 32> random) { return base64url_nopad(random); }

std::string s256_challenge(const std::string& verifier) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("computing the PKCE S256 challenge failed: OpenSSL SHA-256 is unavailable");
  }
  return base64url_nopad(std::span<const uint8_t>(digest, length));
}

bool equal_constant_time(const std::string& a, const std::string& b) {
  // Only the contents are secret; a length mismatch may return early.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mcpauth::oauth21
