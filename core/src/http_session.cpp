#include "mcpauth/core/http_session.h"

#include "mcpauth/core/plugin_error.h"

#include <mcpauth/plugin_abi.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include <mutex>

namespace mcpauth::core {
namespace {

Poco::Net::Context::Ptr tls_context() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED,
                                     9, true /* load the system CAs */);
    // Without this Poco would ask on the console what to do with a bad certificate.
    Poco::Net::SSLManager::instance().initializeClient(nullptr, new Poco::Net::RejectCertificateHandler(false),
                                                       context);
  });
  return context;
}

}  // namespace

std::unique_ptr<Poco::Net::HTTPClientSession> open_http_session(const Poco::URI& uri) {
  if (uri.getScheme() == "https")
    return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls_context());
  if (uri.getScheme() == "http") return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  throw PluginError(MCPAUTH_ERR_NETWORK, "unsupported URL scheme '" + uri.getScheme() + "' (use http or https)");
}

std::string origin_of(const Poco::URI& uri) {
  return uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
}

}  // namespace mcpauth::core
