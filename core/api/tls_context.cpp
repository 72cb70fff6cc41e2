#include "tls_context.h"

#include <Poco/Crypto/EVPPKey.h>
#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Exception.h>
#include <Poco/Net/NetSSL.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <memory>
#include <vector>

// The files are read with OpenSSL here rather than by Poco: for an encrypted key Poco and
// OpenSSL's defaults prompt on the terminal for a passphrase (the server would hang at start),
// and Poco's certificate reader leaks when a file has no certificate.
namespace mcpauth::api {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

int no_passphrase(char*, int, int, void*) { return 0; }

Bio open_pem(const std::string& file, const std::string& setting) {
  Bio in(BIO_new_file(file.c_str(), "r"), BIO_free);
  if (!in) {
    ERR_clear_error();
    throw Poco::OpenFileException("cannot read " + setting);
  }
  return in;
}

std::vector<Poco::Crypto::X509Certificate> certificate_chain(const std::string& file) {
  Bio in = open_pem(file, "cert_file");
  std::vector<Poco::Crypto::X509Certificate> chain;
  while (X509* certificate = PEM_read_bio_X509(in.get(), nullptr, no_passphrase, nullptr))
    chain.emplace_back(certificate);  // takes ownership
  ERR_clear_error();                  // the read past the last certificate
  if (chain.empty()) throw Poco::DataFormatException("cert_file holds no PEM certificate");
  return chain;
}

Poco::Crypto::EVPPKey private_key(const std::string& file) {
  Bio in = open_pem(file, "key_file");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(in.get(), nullptr, no_passphrase, nullptr), EVP_PKEY_free);
  if (!key) {
    ERR_clear_error();
    throw Poco::DataFormatException("key_file holds no unencrypted PEM private key");
  }
  return Poco::Crypto::EVPPKey(key.get());  // copies it
}

}  // namespace

Poco::Net::Context::Ptr server_tls_context(const config::TlsFiles& tls) {
  Poco::Net::initializeSSL();
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, "", Poco::Net::Context::VERIFY_NONE, 9, false,
                             "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES");
  const std::vector<Poco::Crypto::X509Certificate> chain = certificate_chain(tls.cert_file);
  context->useCertificate(chain.front());
  for (size_t i = 1; i < chain.size(); ++i) context->addChainCertificate(chain[i]);
  context->usePrivateKey(private_key(tls.key_file));  // checked against the certificate
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  return context;
}

}  // namespace mcpauth::api
