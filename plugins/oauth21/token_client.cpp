#include "token_client.h"

#include "plugin_support/json_reading.h"

#include <openssl/evp.h>

#include <array>
#include <vector>

namespace mcpauth::oauth21 {

using namespace plugin_support;

namespace {

// The error codes of RFC 6749 section 5.2 and RFC 8707; anything else is reported as "unknown".
bool is_standard_error(const std::string& error) {
  static const std::array<const char*, 9> known = {
      "invalid_request", "invalid_client",          "invalid_grant", "unauthorized_client", "unsupported_grant_type",
      "invalid_scope",   "temporarily_unavailable", "server_error",  "invalid_target"};
  for (const char* code : known)
    if (error == code) return true;
  return false;
}

std::string base64_standard(const std::string& text) {
  std::vector<unsigned char> out(4 * ((text.size() + 2) / 3) + 1);
  int n =
      EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
}

TokenError classify(const JsonResponse& response, const std::string& what) {
  std::string error = get_string(response.body, "error").value_or("");
  std::string shown = error.empty() ? "HTTP " + std::to_string(response.status)
                                    : (is_standard_error(error) ? error : "unknown_error") + " (HTTP " +
                                          std::to_string(response.status) + ")";
  std::string message = what + " refused by the authorization server: " + shown;
  if (response.status >= 500 || error == "temporarily_unavailable" || error == "server_error")
    return TokenError(MCPAUTH_ERR_NETWORK, message, TokenFailure::transient);
  if (error == "invalid_grant") return TokenError(MCPAUTH_ERR_AUTH_REQUIRED, message, TokenFailure::grant_invalid);
  if (error == "invalid_client" || error == "unauthorized_client")
    return TokenError(MCPAUTH_ERR_DENIED, message, TokenFailure::client_invalid);
  return TokenError(MCPAUTH_ERR_DENIED, message, TokenFailure::other);
}

}  // namespace

void TokenClient::authenticate(const AuthServerMetadata& as, const ClientIdentity& client, Params& form,
                               sdk::Headers& headers) const {
  if (client.auth_method == "client_secret_basic") {
    // RFC 6749 section 2.3.1: both parts are form-encoded before base64.
    headers.emplace_back("Authorization", "Basic " + base64_standard(percent_encode(client.client_id) + ":" +
                                                                     percent_encode(client.client_secret)));
    return;
  }
  // Public clients too: one real AS rejects a token request without client_id in the body.
  form.emplace_back("client_id", client.client_id);
  if (client.auth_method == "client_secret_post") {
    form.emplace_back("client_secret", client.client_secret);
  } else if (client.auth_method == "private_key_jwt") {
    if (signing_key_ == nullptr)
      throw sdk::Error(MCPAUTH_ERR_CONFIG, "private_key_jwt needs private_key_file in the server's config");
    std::string claims =
        client_assertion_claims(client.client_id, as.issuer, host_.now_unix_ms() / 1000, host_.random_bytes(16));
    form.emplace_back("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.emplace_back("client_assertion", signing_key_->sign_jwt(claims, key_id_));
  }
}

JsonObject TokenClient::request_tokens(const AuthServerMetadata& as, const ClientIdentity& client, Params form,
                                       const std::string& what) const {
  sdk::Headers headers;
  authenticate(as, client, form, headers);
  JsonResponse response;
  try {
    response = http_.post_form(as.token_endpoint, form, headers, what);
  } catch (const TokenError&) {
    throw;
  } catch (const sdk::Error& e) {
    if (e.status() == MCPAUTH_ERR_NETWORK || e.status() == MCPAUTH_ERR_TIMEOUT)
      throw TokenError(e.status(), e.what(), TokenFailure::transient);
    throw;
  }
  if (response.status == 200 && response.body) return response.body;
  if (response.status == 200)
    throw TokenError(MCPAUTH_ERR_NETWORK, what + ": the token endpoint's answer is not a JSON object",
                     TokenFailure::transient);
  throw classify(response, what);
}

bool TokenClient::revoke(const AuthServerMetadata& as, const ClientIdentity& client, const std::string& token,
                         const std::string& token_type_hint) const {
  if (as.revocation_endpoint.empty() || token.empty()) return false;
  Params form = {{"token", token}, {"token_type_hint", token_type_hint}};
  sdk::Headers headers;
  try {
    authenticate(as, client, form, headers);
    JsonResponse response = http_.post_form(as.revocation_endpoint, form, headers, "token revocation");
    if (response.status == 200) return true;
    host_.log(MCPAUTH_LOG_WARN, "revoking the " + token_type_hint + " at " + as.revocation_endpoint +
                                    " failed with HTTP " + std::to_string(response.status));
  } catch (const sdk::Error& e) {
    host_.log(MCPAUTH_LOG_WARN, std::string("token revocation failed: ") + e.what());
  }
  return false;
}

}  // namespace mcpauth::oauth21
