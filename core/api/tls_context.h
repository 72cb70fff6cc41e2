// The TLS side of `mcpauth serve` (settings `tls`): a server context from PEM files.
#pragma once

#include "mcpauth/config/config.h"

#include <Poco/Net/Context.h>

namespace mcpauth::api {

// TLS 1.2 or later, no client certificates. cert_file: the certificate, then any chain
// certificates; key_file: its private key, unencrypted. Throws Poco::Exception saying which file
// is unusable (a missing one, no certificate, an encrypted key, a key that does not match).
Poco::Net::Context::Ptr server_tls_context(const config::TlsFiles& tls);

}  // namespace mcpauth::api
