#include "stored_tokens.h"

#include "http_error.h"

#include "mcpauth/core/plugin_error.h"
#include "mcpauth/core/redact.h"

namespace mcpauth::api {

void store_uploaded_token(const ServerEntry& server, const std::string& user, const std::string& token,
                          const std::string& metadata_json) {
  try {
    server.binding->auth().store_token(user, token, metadata_json);
  } catch (const core::PluginError& e) {
    if (e.status() == MCPAUTH_ERR_INVALID_ARGUMENT) throw HttpError(400, core::redact(e.what()));
    if (e.status() == MCPAUTH_ERR_UNSUPPORTED)
      throw HttpError(400, "server '" + server.config.name + "' does not take uploaded tokens (auth plugin " +
                               server.config.auth.plugin + ")");
    throw;
  }
}

void remove_stored_token(const ServerEntry& server, const std::string& user, const std::string& not_found) {
  try {
    server.binding->auth().logout(user);
  } catch (const core::PluginError& e) {
    if (e.status() == MCPAUTH_ERR_NOT_FOUND) throw HttpError(404, not_found);
    throw;
  }
}

}  // namespace mcpauth::api
