// Configured servers bound to plugin instances through the real registry.
#include "mcpauth/core/server_binding.h"
#include "mcpauth/core/server_store.h"

#include <catch2/catch.hpp>

using namespace mcpauth;

namespace {

config::Config parse(const std::string& text) {
  return config::parse_config_text(text, "test.json", config::Format::Json, config::LoadOptions{});
}

}  // namespace

TEST_CASE("each server gets its own auth and storage instances from its configuration") {
  core::PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR});
  config::Config loaded = parse(R"({
    "open": {"url": "https://open.example/mcp"},
    "other": {"url": "https://other.example/mcp", "auth": {"plugin": "none"}, "storage": {"plugin": "memory"}}})");
  core::ServerBinding open(registry, loaded.servers.at(0));
  core::ServerBinding other(registry, loaded.servers.at(1));
  CHECK(open.name() == "open");
  CHECK(open.auth().library().id() == "none");
  CHECK(open.storage().library().id() == "memory");
  CHECK(open.auth().get_credentials("alice").empty());
  CHECK_THAT(open.auth().status("alice"), Catch::Contains(R"("auth_required":false)"));

  core::ServerStore(open.storage(), "open").put("k", core::Bytes{1, 2, 3});
  CHECK_FALSE(core::ServerStore(other.storage(), "other").get("k"));  // separate instances
}

TEST_CASE("binding errors are one line naming file, server, role and plugin") {
  core::PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR});
  config::Config loaded = parse(R"({
    "bad": {"url": "https://bad.example/mcp", "storage": {"plugin": "memory", "config": {"size": 1, "path": "/x"}}},
    "missing": {"url": "https://m.example/mcp", "auth": {"plugin": "oauth99"}}})");
  CHECK_THROWS_WITH(core::ServerBinding(registry, loaded.servers.at(0)),
                    "test.json: server 'bad': storage plugin 'memory': invalid config: "
                    "/path: unknown property \"path\"; /size: unknown property \"size\"");
  CHECK_THROWS_WITH(
      core::ServerBinding(registry, loaded.servers.at(1)),
      Catch::StartsWith("test.json: server 'missing': auth plugin 'oauth99': no loaded plugin provides it"));
}
