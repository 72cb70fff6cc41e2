// mcpauth login / logout / status, run as a user would, against the interactive_test plugin and
// a "browser" ($BROWSER) that fetches the sign-in URL, which leads straight to the callback.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include "crypto/fernet.h"
#include "test_support.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

using Result = mcpauth::test::CommandResult;

Result run(const std::string& command) { return mcpauth::test::run_command(command + " 2>&1"); }

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A configuration with servers using the interactive_test plugin and one sqlite store, a fake
// browser, and the environment to run mcpauth with.
class LoginSetup {
 public:
  LoginSetup() : dir_("cli-login") {
    browser_ = dir_ / "browser";
    // Fetches the URL like a browser (no proxy) and saves "<status>\n<page>" where the test looks.
    std::ofstream(browser_) << R"(#!/bin/sh
exec python3 - "$1" <<'PY'
import os, sys, urllib.error, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    with opener.open(sys.argv[1], timeout=10) as reply:
        status, body = reply.status, reply.read()
except urllib.error.HTTPError as error:
    status, body = error.code, error.read()
page = os.environ["FAKE_BROWSER_PAGE"]
with open(page + ".part", "wb") as out:
    out.write(b"%d\n" % status + body)
os.rename(page + ".part", page)
PY
)";
    fs::permissions(browser_, fs::perms::owner_all);
    std::ofstream(dir_ / "mcp.json") << R"({"mcpauth": {"plugin_dirs": [")" SHIPPED_PLUGIN_DIR R"(", ")" TEST_PLUGIN_DIR
                                     << R"("],
        "default_storage": {"plugin": "sqlite", "config": {"path": ")"
                                     << (dir_ / "tokens.db").string()
                                     << R"(", "encryption_key_env": "LOGIN_TEST_KEY"}}},
      "demo": {"url": "https://demo.example/mcp", "auth": {"plugin": "interactive_test"}},
      "paste": {"url": "https://paste.example/mcp", "auth": {"plugin": "interactive_test", "config": {"state": "fixed-state-1234"}}},
      "refusing": {"url": "https://refusing.example/mcp", "auth": {"plugin": "interactive_test", "config": {"code": "bad-code"}}},
      "robot": {"url": "https://robot.example/mcp", "auth": {"plugin": "interactive_test", "config": {"grant": "client_credentials"}}},
      "open": {"url": "https://open.example/mcp"},
      "uploaded": {"url": "https://uploaded.example/mcp", "auth": {"plugin": "manual_jwt", "config": {"auth_type": "jwt"}}}
    })";
    key_ = mcpauth::crypto::FernetKey::generate().encoded();
  }

  fs::path page() const { return dir_ / "page"; }
  fs::path dir() const { return dir_.path(); }

  // mcpauth with this configuration; browser may be "" (the fake one) or another program; typed
  // (no single quotes) is what the user types into the terminal.
  Result mcpauth(const std::string& arguments, const std::string& browser = "", const std::string& typed = "") const {
    return run("printf '" + typed + "' | LOGIN_TEST_KEY=" + key_ +
               " BROWSER=" + (browser.empty() ? browser_.string() : browser) + " FAKE_BROWSER_PAGE=" + page().string() +
               " " MCPAUTH_BINARY " --config " + (dir_ / "mcp.json").string() + " " + arguments);
  }

  // The page the fake browser got; it may still be saving it after mcpauth exited (up to 30 s on a
  // loaded machine: it is a python3 process).
  std::string browser_page() const {
    for (int i = 0; i < 600 && !fs::exists(page()); ++i) std::this_thread::sleep_for(50ms);
    std::string text = read_file(page());
    fs::remove(page());
    return text;
  }

 private:
  mcpauth::test::TempDir dir_;
  fs::path browser_;
  std::string key_;
};

// The callback port in the URL mcpauth printed.
std::string callback_port(const std::string& output) {
  std::smatch match;
  if (!std::regex_search(output, match, std::regex("http://127\\.0\\.0\\.1:([0-9]+)/callback\\?code="))) return "";
  return match[1];
}

}  // namespace

TEST_CASE("--help documents login, logout and status") {
  Result help = run(MCPAUTH_BINARY " --help");
  CHECK(help.exit_code == 0);
  for (const char* text : {"login SERVER", "--no-browser", "--callback-port", "--timeout", "login --url URL",
                           "MCPAUTH_CLIENT_SECRET", "logout SERVER", "status [SERVER]", "BROWSER"})
    CHECK_THAT(help.output, Catch::Contains(text));
}

TEST_CASE("login, logout and status reject wrong usage") {
  LoginSetup setup;
  struct Case {
    std::string arguments, message;
  };
  for (const Case& usage : {
           Case{"login", "'login' needs a server name or --url URL"},
           Case{"logout", "'logout' needs a server name or --url URL"},
           Case{"login demo extra", "'login' takes at most one server name"},
           Case{"login demo --url https://x.example/mcp", "a server name or --url, not both"},
           Case{"login demo --scopes read", "apply only with --url"},
           Case{"login demo --callback-port 0", "--callback-port needs a whole number from 1 to 65535"},
           Case{"login demo --callback-port 70000", "--callback-port needs a whole number from 1 to 65535"},
           Case{"login demo --timeout soon", "--timeout needs a whole number"},
           Case{"login --url https://x.example/mcp --grant implicit", "--grant takes client_credentials"},
           Case{"login --url ftp://x.example/mcp", "--url needs an http:// or https:// URL with a host"},
           Case{"login --url", "option --url needs a value"},
       }) {
    INFO(usage.arguments);
    Result result = setup.mcpauth(usage.arguments);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains(usage.message) && Catch::Contains("--help"));
  }
  Result unknown = setup.mcpauth("login nosuch");
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.output, Catch::Contains("no server named 'nosuch' in the configuration"));
}

TEST_CASE("login through the browser, status, a second login on the same port, logout") {
  LoginSetup setup;
  Result before = setup.mcpauth("status demo");
  CHECK(before.exit_code == 0);
  CHECK_THAT(before.output, Catch::Contains("not signed in"));

  Result login = setup.mcpauth("login demo");
  INFO(login.output);
  REQUIRE(login.exit_code == 0);
  CHECK_THAT(login.output, Catch::Contains("Opening your browser to sign in to 'demo'") &&
                               Catch::Contains("If it does not open, visit this URL:") &&
                               Catch::Contains("Waiting for the browser (up to 300 s)") &&
                               Catch::Contains("Logged in to 'demo'"));
  CHECK_THAT(login.output, Catch::Contains("signed in, expires ") &&
                               (Catch::Contains("(in 59m)") || Catch::Contains("(in 1h)")) &&
                               Catch::Contains("scopes: read write, refresh token: yes"));
  const std::string page = setup.browser_page();
  CHECK_THAT(page, Catch::StartsWith("200\n") && Catch::Contains("You are signed in to &#39;demo&#39;"));
  const std::string port = callback_port(login.output);
  REQUIRE_FALSE(port.empty());

  Result status = setup.mcpauth("status");
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.output,
             Catch::Matches("(.|\n)*demo +interactive_test +signed in, expires [-0-9T:]+Z \\(in (59m|1h)\\), "
                            "scopes: read write, refresh token: yes(.|\n)*"));
  CHECK_THAT(status.output, Catch::Matches("(.|\n)*paste +interactive_test +not signed in(.|\n)*"));
  CHECK_THAT(status.output, Catch::Matches("(.|\n)*open +none +no sign-in needed(.|\n)*"));

  Result stored = setup.mcpauth("storage list --server demo");
  CHECK_THAT(stored.output, Catch::Contains("host/callback_port") && Catch::Contains("tokens/_default"));

  Result again = setup.mcpauth("login demo");
  REQUIRE(again.exit_code == 0);
  CHECK(callback_port(again.output) == port);  // the remembered port: the redirect URI stays the same
  setup.browser_page();

  Result logout = setup.mcpauth("logout demo");
  CHECK(logout.exit_code == 0);
  CHECK_THAT(logout.output, Catch::Contains("Logged out of 'demo'") && Catch::Contains("not signed in"));
  CHECK_THAT(setup.mcpauth("status demo").output, Catch::Contains("not signed in"));

  for (const Result* result : {&before, &login, &status, &again, &logout})
    CHECK(result->output.find("TEST-ACCESS-TOKEN-") == std::string::npos);
}

TEST_CASE("status --json gives each server's status object or its error") {
  LoginSetup setup;
  REQUIRE(setup.mcpauth("login robot").exit_code == 0);
  Result json = setup.mcpauth("status --json --log-level error");
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  Poco::JSON::Array::Ptr servers = Poco::JSON::Parser().parse(json.output).extract<Poco::JSON::Array::Ptr>();
  REQUIRE(servers->size() == 6);
  std::map<std::string, Poco::JSON::Object::Ptr> by_name;
  for (size_t i = 0; i < servers->size(); ++i)
    by_name[servers->getObject(i)->getValue<std::string>("server")] = servers->getObject(i);
  CHECK(by_name.at("robot")->getValue<std::string>("plugin") == "interactive_test");
  CHECK(by_name.at("robot")->getObject("status")->getValue<bool>("authenticated"));
  CHECK_FALSE(by_name.at("demo")->getObject("status")->getValue<bool>("authenticated"));
  CHECK(by_name.at("open")->getValue<std::string>("plugin") == "none");
  CHECK_FALSE(by_name.at("uploaded")->getObject("status")->getValue<bool>("authenticated"));
}

TEST_CASE("a server whose binding fails gets its error on its line; the others are still shown") {
  mcpauth::test::TempDir dir("cli-status");
  std::ofstream(dir / "mcp.json") << R"({"mcpauth": {"plugin_dirs": [")" SHIPPED_PLUGIN_DIR R"("]},
      "broken": {"url": "https://b.example/mcp", "auth": {"plugin": "no_such_plugin"}},
      "fine": {"url": "https://f.example/mcp"}})";
  Result status = run(MCPAUTH_BINARY " --config " + (dir / "mcp.json").string() + " status");
  CHECK(status.exit_code == 1);
  CHECK_THAT(
      status.output,
      Catch::Matches("(.|\n)*broken +no_such_plugin +error: .*auth plugin 'no_such_plugin': no loaded plugin(.|\n)*"));
  CHECK_THAT(status.output, Catch::Matches("(.|\n)*fine +none +no sign-in needed(.|\n)*"));
}

TEST_CASE("login --no-browser takes the redirect URL pasted into the terminal") {
  LoginSetup setup;
  Result login = setup.mcpauth("login paste --no-browser --timeout 20", "/nonexistent-browser",
                               "not it\\nhttp://127.0.0.1:1/callback?code=good-code&state=fixed-state-1234\\n");
  INFO(login.output);
  CHECK(login.exit_code == 0);
  CHECK_THAT(login.output, Catch::Contains("Open this URL in a browser to sign in to 'paste'") &&
                               Catch::Contains("paste here the address the browser ends up on") &&
                               Catch::Contains("not the sign-in mcpauth is waiting for") &&
                               Catch::Contains("Logged in to 'paste'"));
  CHECK(login.output.find("cannot start browser") == std::string::npos);  // --no-browser: none started
}

TEST_CASE("a refused sign-in fails with the plugin's message, on the page and in the terminal") {
  LoginSetup setup;
  Result login = setup.mcpauth("login refusing");
  CHECK(login.exit_code == 1);
  CHECK_THAT(login.output, Catch::Contains("the authorization code was refused"));
  CHECK_THAT(login.output, !Catch::Contains("Logged in"));
  const std::string page = setup.browser_page();
  CHECK_THAT(page, Catch::StartsWith("400\n") && Catch::Contains("Sign-in failed") &&
                       Catch::Contains("the authorization code was refused"));
}

TEST_CASE("a plugin without interactive sign-in: login and call say what it needs instead") {
  LoginSetup setup;
  for (const std::string command : {"login uploaded", "call uploaded tools/list"}) {
    Result result = setup.mcpauth(command, "/nonexistent-browser");
    INFO(command << ": " << result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("server 'uploaded' has no interactive sign-in (auth plugin manual_jwt)") &&
                                  Catch::Contains("an admin must upload one"));
    CHECK_THAT(result.output, !Catch::Contains("begin_authorization") && !Catch::Contains("browser to sign in"));
  }
}

TEST_CASE("client credentials need no browser") {
  LoginSetup setup;
  Result login = setup.mcpauth("login robot", "/nonexistent-browser");
  INFO(login.output);
  CHECK(login.exit_code == 0);
  CHECK_THAT(login.output, Catch::Contains("Logged in to 'robot' (client credentials, no browser needed)") &&
                               Catch::Contains("refresh token: no"));
  CHECK_THAT(login.output, !Catch::Contains("browser to sign in") && !Catch::Contains("cannot start browser"));
}

TEST_CASE("no browser answer within the timeout; a browser that cannot start is only a warning") {
  LoginSetup setup;
  Result login = setup.mcpauth("login demo --timeout 1", "/nonexistent-browser");
  CHECK(login.exit_code == 1);
  CHECK_THAT(login.output, Catch::Contains("cannot start browser '/nonexistent-browser'") &&
                               Catch::Contains("visit this URL") &&
                               Catch::Contains("no answer from the browser within 1 s (run the command again; use "
                                               "--no-browser to paste the redirect URL)"));
}

TEST_CASE("a busy callback port: an error when asked for, a fallback when only remembered") {
  LoginSetup setup;
  Poco::Net::ServerSocket busy(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string port = std::to_string(busy.address().port());
  Result asked = setup.mcpauth("login demo --callback-port " + port);
  CHECK(asked.exit_code == 1);
  CHECK_THAT(asked.output, Catch::Contains("127.0.0.1:" + port + ": the port is already in use"));

  Result first = setup.mcpauth("login demo");
  REQUIRE(first.exit_code == 0);
  setup.browser_page();
  const std::string remembered = callback_port(first.output);
  Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", static_cast<uint16_t>(std::stoi(remembered))));
  Result second = setup.mcpauth("login demo");
  INFO(second.output);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.output, Catch::Contains("port " + remembered + " of the last sign-in is in use"));
  CHECK(callback_port(second.output) != remembered);
  setup.browser_page();
}

TEST_CASE("--url addresses an ad-hoc server with a stable name derived from the URL") {
  mcpauth::test::TempDir dir("cli-adhoc");
  // The configuration's default storage is used, and with no plugin providing it the binding
  // fails with an error that names the ad-hoc server.
  std::ofstream(dir / "mcp.json") << R"({"mcpauth": {"plugin_dirs": [")" TEST_PLUGIN_DIR
                                     R"("], "default_storage": {"plugin": "memory"}}})";
  const std::string status = MCPAUTH_BINARY " --config " + (dir / "mcp.json").string() + " status --url ";
  Result first = run(status + "https://mcp.example.com/tools");
  CHECK(first.exit_code == 1);
  std::smatch name;
  REQUIRE(std::regex_search(first.output, name, std::regex("adhoc-mcp\\.example\\.com-[0-9a-f]{8}")));
  CHECK_THAT(first.output, Catch::Contains("--url: server '" + name.str() + "': storage plugin 'memory'"));
  CHECK_THAT(run(status + "https://mcp.example.com/tools").output, Catch::Contains(name.str()));
  CHECK_THAT(run(status + "https://mcp.example.com/other").output, !Catch::Contains(name.str()));

  Result long_host = run(status + "https://" + std::string(80, 'h') + ".example/mcp");
  std::smatch cut;
  REQUIRE(std::regex_search(long_host.output, cut, std::regex("adhoc-h+-[0-9a-f]{8}")));
  CHECK(cut.str().size() == 64);
}
