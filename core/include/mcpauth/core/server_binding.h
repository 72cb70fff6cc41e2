// Per-server binding: each configured server gets its storage instance and its auth instance,
// from the plugins its configuration names, with configs checked against the plugins' schemas.
#pragma once

#include "mcpauth/config/config.h"
#include "mcpauth/core/instances.h"
#include "mcpauth/core/plugin_registry.h"

#include <memory>
#include <stdexcept>
#include <string>

namespace mcpauth::core {

// One line: "<file>: server '<name>': <auth|storage> plugin '<id>': <problem>".
class BindingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PluginPlan {
  std::shared_ptr<const PluginLibrary> plugin;
  std::string config_json;
};

// What a server would be bound to; checks everything short of creating instances.
struct BindingPlan {
  PluginPlan storage;
  PluginPlan auth;
};
BindingPlan plan_binding(const PluginRegistry& registry, const config::ServerConfig& server);

class ServerBinding {
 public:
  // Creates the storage instance, then the auth instance wired to it. Throws BindingError.
  ServerBinding(const PluginRegistry& registry, const config::ServerConfig& server);

  const std::string& name() const { return name_; }
  StorageInstance& storage() { return *storage_; }
  AuthInstance& auth() { return *auth_; }

 private:
  std::string name_;
  // Declared before auth_ so it is destroyed after it: the auth instance uses the storage.
  std::unique_ptr<StorageInstance> storage_;
  std::unique_ptr<AuthInstance> auth_;
};

}  // namespace mcpauth::core
