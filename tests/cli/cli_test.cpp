// The mcpauth command, run as a user would: exit codes, output, and error messages.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include "crypto/fernet.h"
#include "mcpauth/core/instances.h"
#include "mcpauth/core/plugin_registry.h"
#include "mcpauth/core/server_store.h"
#include "test_support.h"

#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace {

using Result = mcpauth::test::CommandResult;

// stdout and stderr together, or stdout alone (for machine-readable output).
Result run_mcpauth(const std::string& arguments, bool with_stderr = true) {
  std::string command = std::string(MCPAUTH_BINARY) + " " + arguments + (with_stderr ? " 2>&1" : " 2>/dev/null");
  return mcpauth::test::run_command(command);
}

// A config file in a fresh temporary directory.
fs::path write_config(const std::string& name, const std::string& content) {
  fs::path dir = fs::temp_directory_path() / ("mcpauth-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path file = dir / name;
  std::ofstream(file) << content;
  return file;
}

size_t count_lines(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("--help, --version and usage errors") {
  Result help = run_mcpauth("--help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.output, Catch::Contains("config check") && Catch::Contains("plugins") && Catch::Contains("--config"));

  Result version = run_mcpauth("--version");
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.output, Catch::StartsWith("mcpauth ") && Catch::Contains("plugin ABI 1."));

  Result unknown = run_mcpauth("frobnicate");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("unknown command 'frobnicate'") && Catch::Contains("--help"));

  Result bad_option = run_mcpauth("--colour plugins");
  CHECK(bad_option.exit_code == 2);
  CHECK_THAT(bad_option.output, Catch::Contains("unknown option --colour"));

  CHECK(run_mcpauth("--config").exit_code == 2);
  CHECK(run_mcpauth("").exit_code == 2);
}

TEST_CASE("plugins lists what was loaded and what was refused") {
  Result table =
      run_mcpauth(std::string("plugins --plugin-dir ") + SHIPPED_PLUGIN_DIR + " --plugin-dir " + BROKEN_PLUGIN_DIR);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.output, Catch::Contains("none") && Catch::Contains("memory") && Catch::Contains("Refused:"));
  CHECK_THAT(table.output, Catch::Contains("broken_wrong_major.so: built for ABI 2.0"));

  Result json = run_mcpauth(std::string("plugins --json --plugin-dir ") + SHIPPED_PLUGIN_DIR, false);
  CHECK(json.exit_code == 0);
  Poco::JSON::Object::Ptr report = Poco::JSON::Parser().parse(json.output).extract<Poco::JSON::Object::Ptr>();
  std::map<std::string, std::string> kinds;
  Poco::JSON::Array::Ptr plugins = report->getArray("plugins");
  for (size_t i = 0; i < plugins->size(); ++i)
    kinds[plugins->getObject(i)->getValue<std::string>("id")] = plugins->getObject(i)->getValue<std::string>("kinds");
  CHECK(kinds["memory"] == "storage");
  CHECK(kinds["none"] == "auth");
  CHECK(report->getArray("rejected")->size() == 0);
}

TEST_CASE("config check shows each server's plugins") {
  fs::path file = write_config("ok.json", R"({
    "mcpauth": {"plugin_dirs": [")" SHIPPED_PLUGIN_DIR R"("]},
    "open": {"url": "https://open.example/mcp"},
    "explicit": {"url": "https://x.example/mcp", "auth": {"plugin": "none"}, "storage": {"plugin": "memory", "config": {}}}
  })");
  Result result = run_mcpauth("--config " + file.string() + " config check");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("config: " + file.string()));
  CHECK_THAT(result.output, Catch::Matches("(.|\n)*open +yes +none +memory +ok(.|\n)*"));
  CHECK_THAT(result.output, Catch::Matches("(.|\n)*explicit +yes +none +memory +ok(.|\n)*"));
}

TEST_CASE("config check fails on a server whose plugin is missing or whose plugin config is invalid") {
  fs::path file = write_config("bad-plugins.json", R"({
    "mcpauth": {"plugin_dirs": [")" SHIPPED_PLUGIN_DIR R"("]},
    "needs-oauth": {"url": "https://a.example/mcp", "auth": {"plugin": "no_such_plugin"}},
    "bad-storage": {"url": "https://b.example/mcp", "storage": {"plugin": "memory", "config": {"size": 3}}},
    "off": {"url": "https://c.example/mcp", "enabled": false, "auth": {"plugin": "no_such_plugin"}}
  })");
  Result result = run_mcpauth("--config " + file.string() + " config check");
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("error: " + file.string() +
                                            ": server 'needs-oauth': auth plugin 'no_such_plugin': no loaded plugin"));
  CHECK_THAT(result.output, Catch::Contains("server 'bad-storage': storage plugin 'memory': invalid config: /size"));
  CHECK_THAT(result.output, Catch::Contains("warning (server disabled): " + file.string() + ": server 'off'"));
}

TEST_CASE("config errors are one line naming file, server and field, with exit code 1") {
  fs::path file = write_config("broken.json", R"({"srv": {"url": 42}})");
  Result result = run_mcpauth("--config " + file.string() + " config check");
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains(file.string()) && Catch::Contains("'srv'") && Catch::Contains("url"));
  CHECK(count_lines(result.output, "\n") == 1);

  Result missing = run_mcpauth("--config /nonexistent/mcp.json config check");
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("/nonexistent/mcp.json"));
}

TEST_CASE("the shipped default configuration passes config check") {
  Result result = run_mcpauth(std::string("--config-dir ") + MCPAUTH_SOURCE_DIR_PATH + "/config config check");
  INFO(result.output);
  CHECK(result.exit_code == 0);
}

TEST_CASE("keygen prints a fresh Fernet key and nothing else") {
  Result first = run_mcpauth("keygen", false);
  Result second = run_mcpauth("keygen", false);
  CHECK(first.exit_code == 0);
  REQUIRE(first.output.size() == 45);  // 44 characters and a newline
  CHECK(first.output.back() == '\n');
  CHECK_NOTHROW(mcpauth::crypto::FernetKey::parse(first.output.substr(0, 44)));
  CHECK(first.output != second.output);
  CHECK(run_mcpauth("keygen extra").exit_code == 2);
}

TEST_CASE("storage commands show metadata only, delete, and rotate to a new key") {
  mcpauth::test::TempDir dir("cli-storage");
  const std::string old_key = mcpauth::crypto::FernetKey::generate().encoded();
  const std::string new_key = mcpauth::crypto::FernetKey::generate().encoded();
  fs::path file = dir / "mcp.json";
  std::ofstream(file) << R"({"mcpauth": {"plugin_dirs": [")" SHIPPED_PLUGIN_DIR R"("]},
    "srv": {"url": "https://s.example/mcp",
            "storage": {"plugin": "sqlite", "config": {"path": ")"
                      << (dir / "tokens.db").string() << R"(", "encryption_key_env": "CLI_TEST_KEY"}}}})";
  const std::string config = "--config " + file.string() + " ";
  const std::string secret = "refresh-token-value-that-must-never-be-printed";

  {  // Entries written through the host, as an auth plugin would, under the old key.
    ::setenv("CLI_TEST_KEY", old_key.c_str(), 1);
    mcpauth::core::PluginRegistry registry;
    registry.scan({SHIPPED_PLUGIN_DIR});
    mcpauth::core::StorageInstance storage(
        registry.find("sqlite", MCPAUTH_KIND_STORAGE),
        {"srv", "", R"({"path":")" + (dir / "tokens.db").string() + R"(","encryption_key_env":"CLI_TEST_KEY"})"});
    mcpauth::core::ServerStore store(storage, "srv");
    store.put("tokens/alice", std::vector<uint8_t>(secret.begin(), secret.end()));
    store.put("tokens/bob", std::vector<uint8_t>(secret.begin(), secret.end()));
    store.put("registration", std::vector<uint8_t>{'r'});
  }

  Result listed = run_mcpauth(config + "storage list --server srv --prefix tokens/");
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.output, Catch::Contains("tokens/alice\t{") && Catch::Contains("tokens/bob\t{") &&
                                Catch::Contains("2 entries") && !Catch::Contains("registration"));
  CHECK(listed.output.find(secret) == std::string::npos);

  Result meta = run_mcpauth(config + "storage get-meta --server srv tokens/alice", false);
  CHECK(meta.exit_code == 0);
  CHECK_THAT(meta.output, Catch::Contains("\"size\":" + std::to_string(secret.size())));
  CHECK(run_mcpauth(config + "storage get-meta --server srv tokens/nobody").exit_code == 1);

  CHECK(run_mcpauth(config + "storage delete --server srv tokens/bob").exit_code == 0);
  CHECK(run_mcpauth(config + "storage delete --server srv tokens/bob").exit_code == 1);

  // Rotation: the new key first, the old one after it; afterwards the new key alone reads all.
  ::setenv("CLI_TEST_KEY", (new_key + "," + old_key).c_str(), 1);
  Result rotated = run_mcpauth(config + "storage rotate --server srv");
  CHECK(rotated.exit_code == 0);
  CHECK_THAT(rotated.output, Catch::Contains("re-encrypted 2 entries under the current key"));
  ::setenv("CLI_TEST_KEY", new_key.c_str(), 1);
  Result after = run_mcpauth(config + "storage get-meta --server srv tokens/alice");
  CHECK(after.exit_code == 0);
  ::setenv("CLI_TEST_KEY", old_key.c_str(), 1);
  Result old_only = run_mcpauth(config + "storage get-meta --server srv tokens/alice");
  CHECK(old_only.exit_code == 1);
  CHECK_THAT(old_only.output, Catch::Contains("cannot decrypt srv/tokens/alice"));
  ::unsetenv("CLI_TEST_KEY");

  CHECK(run_mcpauth(config + "storage list").exit_code == 2);                // no --server
  CHECK(run_mcpauth(config + "storage list --server nope").exit_code == 1);  // unknown server
}

TEST_CASE("token prints the credential alone, or says how to sign in") {
  const fs::path config = write_config("token.json", R"({
    "static": {"url": "https://a.example.com/mcp", "auth_type": "bearer", "auth_token": "static-bearer-token-123"},
    "keyed": {"url": "https://b.example.com/mcp", "auth_type": "api_key", "auth_token": "key-abc-123"},
    "empty": {"url": "https://c.example.com/mcp", "auth_type": "jwt"},
    "open": {"url": "https://d.example.com/mcp"}
  })");
  const std::string base = "--config " + config.string() + " ";

  Result bearer = run_mcpauth(base + "token static", false);
  CHECK(bearer.exit_code == 0);
  CHECK(bearer.output == "static-bearer-token-123\n");  // only the token: made for $(...)
  CHECK(run_mcpauth(base + "token keyed", false).output == "key-abc-123\n");
  CHECK(run_mcpauth(base + "token static --user bob@example.com", false).output == "static-bearer-token-123\n");

  Result none = run_mcpauth(base + "token empty");
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.output, Catch::Contains("no valid token for 'empty'") && Catch::Contains("run: mcpauth login empty"));
  CHECK(run_mcpauth(base + "token empty", false).output.empty());
  CHECK_THAT(run_mcpauth(base + "token empty --user bob@example.com").output,
             Catch::Contains("sign in on the page of 'mcpauth serve' as bob@example.com"));

  Result open = run_mcpauth(base + "token open");
  CHECK(open.exit_code == 1);
  CHECK_THAT(open.output, Catch::Contains("server 'open' takes no token (auth plugin none adds no credentials)"));

  CHECK(run_mcpauth(base + "token").exit_code == 2);
  CHECK(run_mcpauth(base + "token nosuch").exit_code == 1);
  Result misplaced = run_mcpauth(base + "status --user bob@example.com");
  CHECK(misplaced.exit_code == 2);
  CHECK_THAT(misplaced.output, Catch::Contains("--user applies only to 'token'"));
}

TEST_CASE("token starts without the network module; the commands that speak HTTP load it") {
  const fs::path config = write_config("module.json", R"({
    "static": {"url": "http://127.0.0.1:9/mcp", "auth_type": "bearer", "auth_token": "static-bearer-token-123"}})");
  const std::string base = "--config " + config.string() + " ";
  // LD_DEBUG=files: the dynamic loader names every library it opens, on stderr.
  Result token = mcpauth::test::run_command("LD_DEBUG=files " MCPAUTH_BINARY " " + base + "token static 2>&1");
  CHECK(token.exit_code == 0);
  CHECK_THAT(token.output, Catch::Contains("mcpauth_manual_jwt.so") && !Catch::Contains("mcpauth_network.so") &&
                               !Catch::Contains("libPocoNet"));
  Result call = mcpauth::test::run_command("LD_DEBUG=files " MCPAUTH_BINARY " " + base + "call static tools/list 2>&1");
  CHECK(call.exit_code == 1);  // nothing listens on port 9
  CHECK_THAT(call.output, Catch::Contains("mcpauth_network.so") && Catch::Contains("libPocoNet"));
}

TEST_CASE("token logs no notes unless asked (--log-level info); other commands still do") {
  mcpauth::test::TempDir dir("cli-token-quiet");
  fs::path file = dir / "mcp.json";
  std::ofstream(file) << R"({"mcpauth": {"default_storage": {"plugin": "sqlite", "config": {"path": ")"
                      << (dir / "tokens.db").string() << R"(", "encryption_key_env": "CLI_TEST_KEY"}}},
    "static": {"url": "https://a.example.com/mcp", "auth_type": "bearer", "auth_token": "static-bearer-token-123"}})";
  ::setenv("CLI_TEST_KEY", mcpauth::crypto::FernetKey::generate().encoded().c_str(), 1);
  const std::string base = "--config " + file.string() + " ";
  const std::string note = "keys from environment variable CLI_TEST_KEY";  // the sqlite store's info line

  Result quiet = run_mcpauth(base + "token static");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.output == "static-bearer-token-123\n");
  Result noted = run_mcpauth(base + "--log-level info token static");
  CHECK(noted.exit_code == 0);
  CHECK_THAT(noted.output, Catch::Contains(note) && Catch::EndsWith("\nstatic-bearer-token-123\n"));
  CHECK_THAT(run_mcpauth(base + "status static").output, Catch::Contains(note));
}
