// Fernet tokens as a store reads them back (core/crypto/fernet.cpp), with a fixed key. The first
// byte picks the input's role: 0, a token text as it is (layout and HMAC checks); otherwise the raw
// bytes after the version byte, which the harness signs with the key, so that the timestamp
// checks, AES-CBC and the PKCS7 unpadding see arbitrary authentic tokens.
#include "crypto/base64url.h"
#include "crypto/fernet.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

using namespace mcpauth::crypto;

namespace {

// The spec's test key.
const FernetKey& key() {
  static const FernetKey k = FernetKey::parse("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
  return k;
}

std::string signed_token(std::string_view body) {
  std::vector<uint8_t> bytes{0x80};
  bytes.insert(bytes.end(), body.begin(), body.end());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key().signing_key().data(), 16, bytes.data(), bytes.size(), mac, &mac_size);
  bytes.insert(bytes.end(), mac, mac + mac_size);
  return base64url_encode(bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string token = data[0] == 0 ? std::string(rest) : signed_token(rest);
  fernet_timestamp(token);
  try {
    std::vector<uint8_t> plaintext = fernet_decrypt(key(), token);
    // An authentic token's plaintext comes back out of a rotation unchanged.
    MultiFernet keys({key()});
    if (keys.decrypt(keys.rotate(token)) != plaintext) std::abort();
    fernet_decrypt(key(), token, 60, 1'700'000'000);  // the age and clock skew checks
  } catch (const FernetError&) {
  }
  return 0;
}
