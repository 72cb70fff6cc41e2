#include "mcpauth/core/server_binding.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace mcpauth::core {
namespace {

std::string where(const config::ServerConfig& server, const char* role, const std::string& id) {
  return server.source_file + ": server '" + server.name + "': " + role + " plugin '" + id + "': ";
}

PluginPlan plan_plugin(const PluginRegistry& registry, const config::ServerConfig& server,
                       const config::PluginChoice& choice, uint32_t kind) {
  const char* role = kind == MCPAUTH_KIND_AUTH ? "auth" : "storage";
  PluginPlan plan;
  plan.plugin = registry.find(choice.plugin, kind);
  if (!plan.plugin)
    throw BindingError(where(server, role, choice.plugin) + "no loaded plugin provides it (run 'mcpauth plugins')");
  std::ostringstream json;
  Poco::JSON::Stringifier::condense(choice.config, json);
  plan.config_json = json.str();
  auto violations = plan.plugin->config_schema().validate(Poco::Dynamic::Var(choice.config));
  if (!violations.empty()) {
    std::string message = where(server, role, choice.plugin) + "invalid config: ";
    for (size_t i = 0; i < violations.size(); ++i) message += (i ? "; " : "") + schema::to_string(violations[i]);
    throw BindingError(message);
  }
  return plan;
}

}  // namespace

BindingPlan plan_binding(const PluginRegistry& registry, const config::ServerConfig& server) {
  return BindingPlan{plan_plugin(registry, server, server.storage, MCPAUTH_KIND_STORAGE),
                     plan_plugin(registry, server, server.auth, MCPAUTH_KIND_AUTH)};
}

ServerBinding::ServerBinding(const PluginRegistry& registry, const config::ServerConfig& server) : name_(server.name) {
  BindingPlan plan = plan_binding(registry, server);
  try {
    storage_ = std::make_unique<StorageInstance>(plan.storage.plugin,
                                                 InstanceSpec{server.name, server.url, plan.storage.config_json});
    auth_ = std::make_unique<AuthInstance>(
        plan.auth.plugin, InstanceSpec{server.name, server.url, plan.auth.config_json}, storage_.get());
  } catch (const PluginError& e) {
    throw BindingError(server.source_file + ": server '" + server.name + "': " + e.what());
  }
}

}  // namespace mcpauth::core
