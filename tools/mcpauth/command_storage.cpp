// `mcpauth storage ...`: a server's store, by metadata only: no command here prints a value.
#include "commands.h"
#include "host_setup.h"

#include "mcpauth/core/server_binding.h"
#include "mcpauth/core/server_store.h"

#include <algorithm>
#include <iostream>

namespace mcpauth::cli {
namespace {

// Only the storage instance: these commands must work even when the auth side cannot start.
std::unique_ptr<core::StorageInstance> open_storage(const Invocation& invocation) {
  if (!invocation.server) throw UsageError("'storage' commands need --server NAME");
  config::Config loaded = load_configuration(invocation.options);
  const config::ServerConfig& server = find_server(loaded, *invocation.server);
  core::PluginRegistry registry;
  registry.scan(plugin_dirs(invocation.options, &loaded.settings));
  core::BindingPlan plan = core::plan_binding(registry, server);
  return std::make_unique<core::StorageInstance>(plan.storage.plugin,
                                                 core::InstanceSpec{server.name, server.url, plan.storage.config_json});
}

std::string metadata_or_note(const core::ServerStore& store, const std::string& key) {
  try {
    return store.metadata(key).value_or("(deleted meanwhile)");
  } catch (const core::PluginError& e) {
    if (e.status() == MCPAUTH_ERR_UNSUPPORTED) return "(no metadata from this plugin)";
    return std::string("(error: ") + e.what() + ")";
  }
}

int list(const core::ServerStore& store, const std::string& prefix) {
  std::vector<std::string> keys = store.list(prefix);
  std::sort(keys.begin(), keys.end());
  for (const auto& key : keys) std::cout << key << "\t" << metadata_or_note(store, key) << "\n";
  std::cerr << keys.size() << " entr" << (keys.size() == 1 ? "y" : "ies") << "\n";
  return 0;
}

int get_meta(const core::ServerStore& store, const std::string& key) {
  std::optional<std::string> metadata = store.metadata(key);
  if (!metadata) {
    std::cerr << "mcpauth: no entry '" << key << "'\n";
    return 1;
  }
  std::cout << *metadata << "\n";
  return 0;
}

int remove(const core::ServerStore& store, const std::string& key) {
  if (!store.remove(key)) {
    std::cerr << "mcpauth: no entry '" << key << "'\n";
    return 1;
  }
  std::cerr << "deleted '" << key << "'\n";
  return 0;
}

// Reading decrypts with any configured key; writing encrypts with the first.
int rotate(const core::ServerStore& store) {
  size_t rotated = 0, failed = 0;
  for (const auto& key : store.list("")) {
    try {
      if (std::optional<core::Bytes> value = store.get(key)) {
        store.put(key, *value);
        ++rotated;
      }
    } catch (const core::PluginError& e) {
      std::cerr << "mcpauth: " << e.what() << " (left as it was)\n";
      ++failed;
    }
  }
  std::cerr << "re-encrypted " << rotated << " entr" << (rotated == 1 ? "y" : "ies") << " under the current key";
  if (failed > 0) std::cerr << "; " << failed << " could not be read and were left untouched";
  std::cerr << "\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

int run_storage(const Invocation& invocation) {
  const auto& words = invocation.words;
  const std::string action = words.size() > 1 ? words[1] : "";
  const bool takes_key = action == "get-meta" || action == "delete";
  if ((action != "list" && action != "rotate" && !takes_key) || words.size() != (takes_key ? 3u : 2u))
    throw UsageError("usage: mcpauth storage list|rotate --server S, or storage get-meta|delete --server S KEY");
  std::unique_ptr<core::StorageInstance> storage = open_storage(invocation);
  core::ServerStore store(*storage, *invocation.server);
  if (action == "list") return list(store, invocation.prefix);
  if (action == "rotate") return rotate(store);
  if (action == "get-meta") return get_meta(store, words[2]);
  return remove(store, words[2]);
}

}  // namespace mcpauth::cli
