// The plugin boundary: loading, refusing, containing, and calling plugins through the C ABI.
#include "mcpauth/core/instances.h"
#include "mcpauth/core/plugin_registry.h"
#include "mcpauth/core/server_store.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace mcpauth::core;

namespace {

std::string reason_for(const PluginRegistry& registry, const std::string& file_name) {
  for (const auto& rejection : registry.rejections())
    if (rejection.path.filename() == file_name) return rejection.reason;
  return "(not refused)";
}

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("mcpauth-abi-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  REQUIRE(::pclose(pipe) == 0);
  return output;
}

Bytes bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

}  // namespace

TEST_CASE("the shipped plugins load and describe themselves") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR});
  CHECK(registry.rejections().empty());
  auto none = registry.find("none", MCPAUTH_KIND_AUTH);
  auto memory = registry.find("memory", MCPAUTH_KIND_STORAGE);
  REQUIRE(none);
  REQUIRE(memory);
  CHECK(none->version() == "1.0.0");
  CHECK(none->abi_major() == MCPAUTH_ABI_MAJOR);
  CHECK(none->abi_minor() == MCPAUTH_ABI_MINOR);
  CHECK_FALSE(none->has_kind(MCPAUTH_KIND_STORAGE));
  CHECK(registry.find("memory", MCPAUTH_KIND_AUTH) == nullptr);
  CHECK(memory->storage_api().lock != nullptr);
}

TEST_CASE("every broken plugin is refused with a one-line reason and the host carries on") {
  fs::path extra = temp_dir("broken");
  std::ofstream(extra / "not_a_library.so") << "this is text, not an ELF file\n";

  PluginRegistry registry;
  registry.scan({BROKEN_PLUGIN_DIR, extra, extra / "missing", SHIPPED_PLUGIN_DIR});

  const std::map<std::string, std::string> expected = {
      {"broken_no_entry.so", "missing entry symbol mcpauth_plugin_entry_v1"},
      {"broken_wrong_major.so", "built for ABI 2.0, this host speaks ABI 1."},
      {"broken_newer_minor.so", "newer than this host's ABI"},
      {"broken_bad_size.so", "plugin descriptor struct_size 8 is smaller than the ABI 1.0 minimum"},
      {"broken_null_function.so", "required function storage.list is NULL"},
      {"broken_bad_schema.so", "config schema is invalid"},
      {"broken_entry_fails.so", "entry function refused to load: this plugin refuses to load"},
      {"broken_bad_id.so", "plugin id 'Bad-Id!' is invalid"},
      {"broken_no_descriptor.so", "entry function returned no descriptor"},
      {"not_a_library.so", "not a loadable plugin library"},
  };
  for (const auto& [file, reason] : expected) {
    INFO(file);
    std::string actual = reason_for(registry, file);
    CHECK_THAT(actual, Catch::Contains(reason));
    CHECK(actual.find('\n') == std::string::npos);
  }
  bool missing_dir_reported = false;
  for (const auto& rejection : registry.rejections())
    missing_dir_reported |=
        rejection.path == extra / "missing" && rejection.reason.find("does not exist") != std::string::npos;
  CHECK(missing_dir_reported);
  // The good plugins after the bad ones still load, and only those.
  CHECK(registry.find("none", MCPAUTH_KIND_AUTH));
  CHECK(registry.find("memory", MCPAUTH_KIND_STORAGE));
  for (const auto& plugin : registry.plugins()) CHECK(plugin->path().parent_path() == fs::path(SHIPPED_PLUGIN_DIR));
  fs::remove_all(extra);
}

TEST_CASE("a second library with an id already loaded is refused") {
  fs::path dir = temp_dir("duplicate");
  fs::copy_file(fs::path(SHIPPED_PLUGIN_DIR) / "mcpauth_memory.so", dir / "another_memory.so");
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR, dir});
  CHECK_THAT(reason_for(registry, "another_memory.so"), Catch::Contains("duplicate plugin id 'memory'"));
  CHECK(registry.find("memory", MCPAUTH_KIND_STORAGE)->path().parent_path() == fs::path(SHIPPED_PLUGIN_DIR));
  fs::remove_all(dir);
}

TEST_CASE("a plugin written in plain C works through the host services") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR, TEST_PLUGIN_DIR});
  auto c_plugin = registry.find("c_plugin", MCPAUTH_KIND_AUTH);
  REQUIRE(c_plugin);
  StorageInstance storage(registry.find("memory", MCPAUTH_KIND_STORAGE), {"srv", "https://example.test/mcp", "{}"});
  AuthInstance auth(c_plugin, {"srv", "https://example.test/mcp", "{}"}, &storage);

  try {
    auth.get_credentials("alice");
    FAIL("expected AUTH_REQUIRED");
  } catch (const PluginError& e) {
    CHECK(e.status() == MCPAUTH_ERR_AUTH_REQUIRED);
    CHECK_THAT(e.what(), Catch::Contains("no token stored: authorize first") && Catch::Contains("server srv"));
  }
  ServerStore(storage, "srv").put("token", bytes("abc123"));
  HeaderList headers = auth.get_credentials("alice");
  REQUIRE(headers.size() == 1);
  CHECK(headers[0] == std::make_pair(std::string("Authorization"), std::string("Bearer abc123")));
  CHECK(auth.status("alice") == R"({"plugin":"c_plugin"})");
  CHECK(auth.on_challenge("alice", 401, "Bearer") == MCPAUTH_CHALLENGE_AUTHORIZE);
  CHECK_THROWS_WITH(auth.refresh("alice"), Catch::Contains("no interactive authorization"));
  auth.logout("alice");
  CHECK_FALSE(storage.get("srv/token"));
}

TEST_CASE("a plugin built against ABI 1.0 loads and works, without store_token") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR, TEST_PLUGIN_DIR});
  INFO(reason_for(registry, "c_plugin_v1_0.so"));
  auto old_plugin = registry.find("c_plugin_v1_0", MCPAUTH_KIND_AUTH);
  REQUIRE(old_plugin);
  CHECK(old_plugin->abi_minor() == 0);
  // The plugin's table has a function (one that aborts) after its declared size; the host's copy must not.
  CHECK(old_plugin->auth_api().store_token == nullptr);
  CHECK(old_plugin->auth_api().struct_size == sizeof(mcpauth_auth_api));

  StorageInstance storage(registry.find("memory", MCPAUTH_KIND_STORAGE), {"legacy", "", "{}"});
  AuthInstance auth(old_plugin, {"legacy", "", "{}"}, &storage);
  ServerStore(storage, "legacy").put("token", bytes("abc123"));
  CHECK(auth.get_credentials("alice") == HeaderList{{"Authorization", "Bearer abc123"}});
  CHECK(auth.status("alice") == R"({"plugin":"c_plugin_v1_0"})");
  CHECK(auth.on_challenge("alice", 401, "") == MCPAUTH_CHALLENGE_AUTHORIZE);
  auth.logout("alice");
  CHECK_FALSE(storage.get("legacy/token"));
  try {
    auth.store_token("alice", "secret-token-value", "{}");
    FAIL("expected UNSUPPORTED");
  } catch (const PluginError& e) {
    CHECK(e.status() == MCPAUTH_ERR_UNSUPPORTED);
    CHECK(std::string(e.what()) == "auth plugin c_plugin_v1_0 (server legacy) does not accept stored tokens");
  }
}

TEST_CASE("store_token is offered only by plugins that implement it") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR, TEST_PLUGIN_DIR});
  // SDK plugins: offered when the class overrides store_token, NULL otherwise.
  REQUIRE(registry.find("manual_jwt", MCPAUTH_KIND_AUTH));
  CHECK(registry.find("manual_jwt", MCPAUTH_KIND_AUTH)->auth_api().store_token != nullptr);
  CHECK(registry.find("none", MCPAUTH_KIND_AUTH)->auth_api().store_token == nullptr);
  CHECK(registry.find("throwing", MCPAUTH_KIND_AUTH)->auth_api().store_token == nullptr);
  // A 1.1 C plugin that leaves it NULL.
  auto c_plugin = registry.find("c_plugin", MCPAUTH_KIND_AUTH);
  REQUIRE(c_plugin);
  CHECK(c_plugin->abi_minor() == 1);
  AuthInstance auth(c_plugin, {"srv", "", "{}"}, nullptr);
  CHECK_THROWS_WITH(auth.store_token("", "tok", "{}"),
                    "auth plugin c_plugin (server srv) does not accept stored tokens");
}

TEST_CASE("the host refuses a NUL inside what store_token passes as C strings") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR});
  auto manual_jwt = registry.find("manual_jwt", MCPAUTH_KIND_AUTH);
  REQUIRE(manual_jwt);
  StorageInstance storage(registry.find("memory", MCPAUTH_KIND_STORAGE), {"srv", "", "{}"});
  AuthInstance auth(manual_jwt, {"srv", "", R"({"auth_type":"bearer"})"}, &storage);
  for (const auto& [user, token] : std::vector<std::pair<std::string, std::string>>{
           {std::string("bob\0alice", 9), "token-1"}, {"bob", std::string("tok\0en", 6)}}) {
    try {
      auth.store_token(user, token, "{}");
      FAIL("expected INVALID_ARGUMENT");
    } catch (const PluginError& e) {
      CHECK(e.status() == MCPAUTH_ERR_INVALID_ARGUMENT);
      CHECK_THAT(e.what(), Catch::Contains("cannot contain a NUL character"));
    }
  }
  CHECK(storage.list("").empty());
}

TEST_CASE("exceptions thrown by a plugin become error codes and messages") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR, TEST_PLUGIN_DIR});
  auto throwing = registry.find("throwing", MCPAUTH_KIND_AUTH);
  REQUIRE(throwing);

  auto expect_error = [](auto&& call, int32_t status, const std::string& message) {
    try {
      call();
      FAIL("expected a PluginError");
    } catch (const PluginError& e) {
      CHECK(e.status() == status);
      CHECK_THAT(e.what(), Catch::Contains(message));
    }
  };

  expect_error(
      [&] {
        AuthInstance(throwing, {"s", "", R"({"fail_create":true})"}, nullptr);
      },
      MCPAUTH_ERR_INTERNAL, "create failed: internal error: boom in create");
  expect_error(
      [&] {
        StorageInstance(throwing, {"s", "", R"({"fail_create":true})"});
      },
      MCPAUTH_ERR_CONFIG, "boom in create");

  AuthInstance auth(throwing, {"s", "", "{}"}, nullptr);
  expect_error([&] { auth.get_credentials("u"); }, MCPAUTH_ERR_INTERNAL, "boom in get_credentials");
  expect_error([&] { auth.status("u"); }, MCPAUTH_ERR_INTERNAL, "boom in status");
  expect_error([&] { auth.on_challenge("u", 401, ""); }, MCPAUTH_ERR_INTERNAL, "unknown exception");
  expect_error([&] { auth.begin_authorization("u", "http://127.0.0.1/cb", MCPAUTH_FLOW_LOOPBACK, ""); },
               MCPAUTH_ERR_DENIED, "boom in begin_authorization");
  expect_error([&] { auth.complete_authorization("u", {}, "code=x"); }, MCPAUTH_ERR_NO_MEMORY, "out of memory");
  expect_error([&] { auth.refresh("u"); }, MCPAUTH_ERR_NETWORK, "boom in refresh");
  expect_error([&] { auth.logout("u"); }, MCPAUTH_ERR_INTERNAL, "boom in logout");
  expect_error([&] { auth.store_token("u", "t", "{}"); }, MCPAUTH_ERR_UNSUPPORTED, "does not accept stored tokens");

  StorageInstance storage(throwing, {"s", "", "{}"});
  expect_error([&] { storage.get("k"); }, MCPAUTH_ERR_INTERNAL, "boom in get");
  expect_error([&] { storage.put("k", bytes("v")); }, MCPAUTH_ERR_IO, "boom in put");
  expect_error([&] { storage.remove("k"); }, MCPAUTH_ERR_INTERNAL, "boom in remove");
  expect_error([&] { storage.list(""); }, MCPAUTH_ERR_INTERNAL, "boom in list");
  mcpauth_lock* lock = nullptr;
  mcpauth_error err{};
  CHECK(storage.lock_raw("k", 10, &lock, &err) == MCPAUTH_ERR_INTERNAL);
  CHECK_THAT(err.message, Catch::Contains("boom in lock"));
}

TEST_CASE("servers sharing one store see only their own keys") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR, TEST_PLUGIN_DIR});
  auto c_plugin = registry.find("c_plugin", MCPAUTH_KIND_AUTH);
  StorageInstance shared(registry.find("memory", MCPAUTH_KIND_STORAGE), {"shared", "", "{}"});
  ServerStore(shared, "first").put("token", bytes("one"));
  ServerStore(shared, "second").put("token", bytes("two"));
  AuthInstance first(c_plugin, {"first", "", "{}"}, &shared);
  AuthInstance second(c_plugin, {"second", "", "{}"}, &shared);
  CHECK(first.get_credentials("")[0].second == "Bearer one");
  CHECK(second.get_credentials("")[0].second == "Bearer two");
  second.logout("");  // deletes "token" in its own part only
  CHECK(ServerStore(shared, "first").list("") == std::vector<std::string>{"token"});
  CHECK(ServerStore(shared, "second").list("").empty());
  CHECK(shared.list("") == std::vector<std::string>{"first/token"});

  AuthInstance unbound(c_plugin, {"third", "", "{}"}, nullptr);
  CHECK_THROWS_WITH(unbound.get_credentials(""), Catch::Contains("no storage is bound"));
}

TEST_CASE("a library stays loaded while an instance from it lives") {
  std::unique_ptr<StorageInstance> storage;
  {
    PluginRegistry registry;
    registry.scan({SHIPPED_PLUGIN_DIR});
    storage =
        std::make_unique<StorageInstance>(registry.find("memory", MCPAUTH_KIND_STORAGE), InstanceSpec{"s", "", "{}"});
  }  // the registry, and its references to the libraries, are gone
  storage->put("k", bytes("still here"));
  CHECK(storage->get("k") == bytes("still here"));
}

TEST_CASE("the memory plugin stores, lists, removes and locks") {
  PluginRegistry registry;
  registry.scan({SHIPPED_PLUGIN_DIR});
  StorageInstance storage(registry.find("memory", MCPAUTH_KIND_STORAGE), {"s", "", "{}"});
  CHECK_FALSE(storage.get("a"));
  storage.put("user/a", bytes(std::string("\0binary\xff", 8)));
  storage.put("user/b", bytes("2"));
  storage.put("other", bytes("3"));
  CHECK(storage.get("user/a") == bytes(std::string("\0binary\xff", 8)));
  auto keys = storage.list("user/");
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"user/a", "user/b"});
  CHECK(storage.list("").size() == 3);
  CHECK(storage.metadata("user/b") == R"({"size":1})");
  CHECK_FALSE(storage.metadata("missing"));
  CHECK(storage.remove("other"));
  CHECK_FALSE(storage.remove("other"));
  CHECK_THROWS_WITH(storage.put(std::string("user/a\0b", 8), bytes("x")), Catch::Contains("cannot contain a NUL"));
  CHECK(storage.get("user/a") == bytes(std::string("\0binary\xff", 8)));  // not overwritten

  mcpauth_lock* held = nullptr;
  mcpauth_error err{};
  REQUIRE(storage.lock_raw("refresh", 100, &held, &err) == MCPAUTH_OK);
  mcpauth_lock* second = nullptr;
  CHECK(storage.lock_raw("refresh", 50, &second, &err) == MCPAUTH_ERR_TIMEOUT);
  mcpauth_lock* other_key = nullptr;
  CHECK(storage.lock_raw("another", 50, &other_key, &err) == MCPAUTH_OK);
  storage.unlock_raw(other_key);
  storage.unlock_raw(held);
  CHECK(storage.lock_raw("refresh", 50, &second, &err) == MCPAUTH_OK);
  storage.unlock_raw(second);
}

TEST_CASE("every plugin library exports exactly the entry symbol") {
  std::vector<fs::path> libraries;
  for (const char* dir : {SHIPPED_PLUGIN_DIR, TEST_PLUGIN_DIR})
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".so") libraries.push_back(entry.path());
  REQUIRE(libraries.size() >= 4);
  for (const auto& library : libraries) {
    INFO(library.string());
    // Defined dynamic symbols, excluding the linker's own version nodes.
    std::string symbols =
        run("nm -D --defined-only --format=posix '" + library.string() + "' | awk '$2 != \"A\" {print $1}'");
    CHECK(symbols == std::string(MCPAUTH_ENTRY_SYMBOL) + "\n");
  }
}
