// The oauth21 auth plugin: the SDK's AuthPlugin interface over the parts of this directory.
#pragma once

#include "authorization.h"
#include "server_context.h"
#include "token_manager.h"

#include <mcpauth/plugin.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mcpauth::oauth21 {

class OAuth21Plugin : public sdk::AuthPlugin {
 public:
  explicit OAuth21Plugin(const sdk::InstanceArgs& args);

  void get_credentials(const std::string& user, sdk::Headers& headers) override;
  std::string status(const std::string& user) override;
  int32_t on_challenge(const std::string& user, int http_status, const std::string& www_authenticate) override;
  sdk::Authorization begin_authorization(const sdk::BeginAuthorization& args) override;
  void complete_authorization(const std::string& user, const std::string& pending,
                              const std::string& callback_query) override;
  void refresh(const std::string& user) override;
  void logout(const std::string& user) override;
  void store_token(const std::string& user, const std::string& token, const std::string& metadata_json) override;

 private:
  // Step-up bookkeeping per user: the scopes the server asked for and how often in a row.
  struct StepUp {
    std::vector<std::string> scopes;
    int64_t count = 0;
    int64_t last_ms = 0;
  };
  int32_t step_up(const std::string& user, const std::vector<std::string>& scopes);
  std::vector<std::string> step_up_scopes(const std::string& user);

  ServerContext context_;
  TokenManager tokens_;
  Authorizer authorizer_;
  std::mutex step_up_mutex_;
  std::map<std::string, StepUp> step_ups_;
};

}  // namespace mcpauth::oauth21
