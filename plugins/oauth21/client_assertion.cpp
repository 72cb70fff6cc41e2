#include "client_assertion.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "pkce.h"

namespace mcpauth::oauth21 {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

struct SigningKey::Impl {
  PkeyPtr key;
  std::string algorithm;
};

namespace {

constexpr int64_t kAssertionLifetimeSeconds = 300;
constexpr size_t kMinJtiRandomBytes = 16;
// Far above any PEM private key (RSA 16384 is about 12 KB); keeps a wrong path from being slurped.
constexpr size_t kMaxPemBytes = 1 << 20;
constexpr int kEs256CoordinateBytes = 32;

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  ERR_clear_error();  // what OpenSSL queued would otherwise show up in an unrelated later report
  throw KeyError("signing key '" + source + "': " + problem);
}

[[noreturn]] void fail_signing(const std::string& algorithm) {
  ERR_clear_error();
  throw std::runtime_error("signing the client assertion with the " + algorithm + " key failed in OpenSSL");
}

// Overwrites the key text when it goes out of scope, whatever the way out.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& text) : text_(text) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() { OPENSSL_cleanse(text_.data(), text_.size()); }

 private:
  std::string& text_;
};

class CloseOnExit {
 public:
  explicit CloseOnExit(int fd) : fd_(fd) {}
  CloseOnExit(const CloseOnExit&) = delete;
  CloseOnExit& operator=(const CloseOnExit&) = delete;
  ~CloseOnExit() { ::close(fd_); }

 private:
  int fd_;
};

// One read into a buffer of the file's size, so no reallocation leaves a stray copy of the key.
std::string read_key_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::string("cannot open the file: ") + std::strerror(errno));
  CloseOnExit close_fd(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) fail(path, std::string("cannot stat the file: ") + std::strerror(errno));
  if (!S_ISREG(info.st_mode)) fail(path, "not a regular file");
  if (static_cast<size_t>(info.st_size) > kMaxPemBytes) fail(path, "the file is too large to be a PEM private key");

  std::string text(static_cast<size_t>(info.st_size), '\0');
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string problem =
          n < 0 ? std::string("cannot read the file: ") + std::strerror(errno) : "the file shrank while it was read";
      WipeOnExit wipe(text);
      fail(path, problem);
    }
    done += static_cast<size_t>(n);
  }
  return text;
}

// The JWS algorithm for a key, or KeyError for keys this client does not sign with.
std::string algorithm_for(EVP_PKEY* key, const std::string& source) {
  if (EVP_PKEY_is_a(key, "EC")) {
    char curve[80] = {};
    size_t curve_length = 0;
    if (EVP_PKEY_get_group_name(key, curve, sizeof curve, &curve_length) != 1) {
      fail(source, "EC key without a named curve; ES256 needs a P-256 key");
    }
    if (OBJ_txt2nid(curve) != NID_X9_62_prime256v1) {
      fail(source, "EC key on curve " + std::string(curve) + " is not supported; ES256 needs a P-256 key");
    }
    return "ES256";
  }
  if (EVP_PKEY_is_a(key, "RSA")) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < 2048) {
      fail(source, "RSA key of " + std::to_string(bits) + " bits is too short; RS256 needs at least 2048 bits");
    }
    return "RS256";
  }
  const char* type = EVP_PKEY_get0_type_name(key);
  fail(source, std::string("unsupported key type ") + (type != nullptr ? type : "(unknown)") +
                   "; use an EC P-256 or an RSA (>= 2048 bits) key");
}

std::span<const uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// A JSON string literal (RFC 8259 section 7); the text is expected to be UTF-8.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[7];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::vector<uint8_t> digest_sign_sha256(EVP_PKEY* key, std::string_view data, const std::string& algorithm) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t size = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, bytes, data.size()) != 1) {
    fail_signing(algorithm);
  }
  std::vector<uint8_t> signature(size);
  if (EVP_DigestSign(context.get(), signature.data(), &size, bytes, data.size()) != 1) fail_signing(algorithm);
  signature.resize(size);
  return signature;
}

// OpenSSL produces ECDSA signatures as DER; JWS wants R || S, each left-padded to 32 bytes.
std::vector<uint8_t> ecdsa_der_to_raw(const std::vector<uint8_t>& der) {
  const unsigned char* cursor = der.data();
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())), ECDSA_SIG_free);
  std::vector<uint8_t> raw(2 * kEs256CoordinateBytes);
  const auto write_coordinate = [](const BIGNUM* value, uint8_t* out) {
    return BN_bn2binpad(value, out, kEs256CoordinateBytes) == kEs256CoordinateBytes;
  };
  if (!signature || !write_coordinate(ECDSA_SIG_get0_r(signature.get()), raw.data()) ||
      !write_coordinate(ECDSA_SIG_get0_s(signature.get()), raw.data() + kEs256CoordinateBytes)) {
    fail_signing("ES256");
  }
  return raw;
}

}  // namespace

SigningKey SigningKey::load_pem_file(const std::string& path) {
  std::string pem = read_key_file(path);
  WipeOnExit wipe(pem);
  return from_pem(pem, path);
}

SigningKey SigningKey::from_pem(const std::string& pem, const std::string& source_name) {
  if (pem.size() > kMaxPemBytes) fail(source_name, "too large to be a PEM private key");
  // Without a callback OpenSSL would prompt on the terminal for the passphrase of an encrypted key.
  bool encrypted = false;
  auto refuse_passphrase = [](char*, int, int, void* asked) {
    *static_cast<bool*>(asked) = true;
    return -1;
  };
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, &encrypted) : nullptr,
              EVP_PKEY_free);
  if (!key && encrypted) fail(source_name, "the private key is encrypted; a key without a passphrase is required");
  if (!key) fail(source_name, "no PEM private key found (expected PKCS#8, EC or RSA PRIVATE KEY)");
  std::string algorithm = algorithm_for(key.get(), source_name);
  return SigningKey(new Impl{std::move(key), std::move(algorithm)});
}

SigningKey::SigningKey(Impl* impl) : impl_(impl) {}

SigningKey::SigningKey(SigningKey&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    delete impl_;
    impl_ = std::exchange(other.impl_, nullptr);
  }
  return *this;
}

SigningKey::~SigningKey() { delete impl_; }

const std::string& SigningKey::algorithm() const { return impl_->algorithm; }

std::string SigningKey::sign_jwt(const std::string& payload_json, const std::string& key_id) const {
  std::string header = R"({"alg":")" + impl_->algorithm + R"(","typ":"JWT")";
  if (!key_id.empty()) header += R"(,"kid":)" + json_string(key_id);
  header += '}';
  const std::string signing_input = base64url_nopad(as_bytes(header)) + "." + base64url_nopad(as_bytes(payload_json));
  std::vector<uint8_t> signature = digest_sign_sha256(impl_->key.get(), signing_input, impl_->algorithm);
  if (impl_->algorithm == "ES256") signature = ecdsa_der_to_raw(signature);
  return signing_input + "." + base64url_nopad(signature);
}

std::string client_assertion_claims(const std::string& client_id, const std::string& audience, int64_t now_unix_s,
                                    std::span<const uint8_t> jti_random) {
  if (jti_random.size() < kMinJtiRandomBytes) {
    throw std::invalid_argument("a client assertion jti needs at least 16 random bytes, got " +
                                std::to_string(jti_random.size()));
  }
  const std::string subject = json_string(client_id);
  return R"({"iss":)" + subject + R"(,"sub":)" + subject + R"(,"aud":)" + json_string(audience) + R"(,"jti":")" +
         base64url_nopad(jti_random) + R"(","iat":)" + std::to_string(now_unix_s) + R"(,"exp":)" +
         std::to_string(now_unix_s + kAssertionLifetimeSeconds) + "}";
}

}  // namespace mcpauth::oauth21
