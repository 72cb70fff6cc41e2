// Loading only the plugins a command needs: by the shipped file name first, else by a scan.
#include "mcpauth/core/plugin_registry.h"

#include "test_support.h"

#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;
using mcpauth::core::PluginRegistry;

namespace {

const fs::path kShipped = SHIPPED_PLUGIN_DIR;

// The shipped plugin `id` copied into dir under another file name.
void copy_plugin(const std::string& id, const fs::path& dir, const std::string& file_name) {
  fs::copy_file(kShipped / ("mcpauth_" + id + ".so"), dir / file_name);
}

std::vector<std::string> ids_of(const PluginRegistry& registry) {
  std::vector<std::string> ids;
  for (const auto& plugin : registry.plugins()) ids.push_back(plugin->id());
  return ids;
}

}  // namespace

TEST_CASE("load_named loads only the named plugins, from their mcpauth_<id>.so files") {
  PluginRegistry registry;
  registry.load_named({kShipped}, {"none", "memory", "none"});
  CHECK(ids_of(registry) == std::vector<std::string>{"none", "memory"});
  CHECK(registry.rejections().empty());
  CHECK(registry.find("memory", MCPAUTH_KIND_STORAGE)->path() == kShipped / "mcpauth_memory.so");
}

TEST_CASE("load_named takes the first directory holding the file") {
  mcpauth::test::TempDir first("registry-first");
  copy_plugin("none", first.path(), "mcpauth_none.so");
  PluginRegistry registry;
  registry.load_named({first.path(), kShipped}, {"none"});
  CHECK(ids_of(registry) == std::vector<std::string>{"none"});
  CHECK(registry.find("none", MCPAUTH_KIND_AUTH)->path() == first / "mcpauth_none.so");
}

TEST_CASE("load_named falls back to a scan when the file of that name is missing, refused or another plugin") {
  mcpauth::test::TempDir dir("registry-fallback");
  PluginRegistry registry;

  SECTION("missing: a third-party file name") {
    copy_plugin("memory", dir.path(), "store.so");
    registry.load_named({dir.path()}, {"memory"});
    CHECK(registry.find("memory", MCPAUTH_KIND_STORAGE)->path() == dir / "store.so");
    CHECK(registry.rejections().empty());
  }
  SECTION("another plugin: loaded once, the scan does not try it again") {
    copy_plugin("none", dir.path(), "mcpauth_memory.so");
    copy_plugin("memory", dir.path(), "store.so");
    registry.load_named({dir.path()}, {"memory"});
    CHECK(registry.find("memory", MCPAUTH_KIND_STORAGE)->path() == dir / "store.so");
    CHECK(registry.find("none", MCPAUTH_KIND_AUTH)->path() == dir / "mcpauth_memory.so");
    CHECK(registry.plugins().size() == 2);
    CHECK(registry.rejections().empty());  // no "duplicate" for the file tried first
  }
  SECTION("refused: its reason kept once, the plugin found by the scan") {
    std::ofstream(dir / "mcpauth_none.so") << "not a library";
    copy_plugin("none", dir.path(), "auth.so");
    registry.load_named({dir.path()}, {"none"});
    CHECK(registry.find("none", MCPAUTH_KIND_AUTH)->path() == dir / "auth.so");
    REQUIRE(registry.rejections().size() == 1);
    CHECK(registry.rejections()[0].path == dir / "mcpauth_none.so");
    CHECK_THAT(registry.rejections()[0].reason, Catch::StartsWith("not a loadable plugin library"));
  }
  SECTION("an id that is no plugin id is never made into a file name") {
    copy_plugin("none", dir.path(), "auth.so");
    fs::create_directories(dir / "mcpauth_..");
    copy_plugin("memory", dir.path(), "mcpauth_../x.so");
    registry.load_named({dir.path()}, {"../x"});
    CHECK(ids_of(registry) == std::vector<std::string>{"none"});
    CHECK(registry.find("../x", MCPAUTH_KIND_STORAGE) == nullptr);
  }
}

TEST_CASE("load_named of a plugin nowhere to be found scans everything, as mcpauth plugins does") {
  mcpauth::test::TempDir dir("registry-nowhere");
  copy_plugin("none", dir.path(), "auth.so");
  PluginRegistry named;
  named.load_named({dir.path(), dir / "missing"}, {"oauth99"});
  PluginRegistry scanned;
  scanned.scan({dir.path(), dir / "missing"});
  CHECK(ids_of(named) == ids_of(scanned));
  CHECK(named.rejections().size() == scanned.rejections().size());
  CHECK(named.find("oauth99", MCPAUTH_KIND_AUTH) == nullptr);
}
