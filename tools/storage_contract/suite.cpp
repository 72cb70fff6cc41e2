#include "suite.h"

#include "mcpauth/core/plugin_registry.h"

#include <catch2/catch.hpp>

#include <stdexcept>

namespace contract {
namespace {

Suite& the_suite() {
  static Suite instance;
  return instance;
}

}  // namespace

void load_suite(const Options& options) {
  mcpauth::core::PluginRegistry registry;
  if (!registry.load(options.plugin))
    throw std::runtime_error(options.plugin.string() + ": refused: " + registry.rejections().front().reason);
  auto library = registry.plugins().front();
  if (!library->has_kind(MCPAUTH_KIND_STORAGE))
    throw std::runtime_error(options.plugin.string() + ": plugin '" + library->id() + "' is not a storage plugin");
  the_suite() = Suite{options, library};
}

const Suite& suite() { return the_suite(); }

bool available(Needs need) {
  switch (need) {
    case Needs::locks:
      if (suite().library->storage_api().lock != nullptr) return true;
      WARN("skipped: the plugin offers no locks (storage.lock is NULL)");
      return false;
    case Needs::shared:
      if (suite().options.shared) return true;
      WARN("skipped: needs --shared (instances with the same config share one store)");
      return false;
    case Needs::crash:
      if (suite().options.crash) return true;
      WARN("skipped: needs --crash (the store persists, so a killed writer must leave it consistent)");
      return false;
  }
  return false;
}

}  // namespace contract
