// `mcpauth serve` run as a user runs it: a child process, stopped with a signal.
#include "api_harness.h"
#include "test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

using namespace mcpauth::test;
using namespace std::chrono_literals;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// mcpauth with these arguments, its stderr going to a file.
class ServeProcess {
 public:
  ServeProcess(const TempDir& dir, std::vector<std::string> arguments) : log_(dir / "serve.log") {
    // Everything the child needs is made before fork: after it, only async-signal-safe calls.
    std::vector<char*> argv{const_cast<char*>(MCPAUTH_BINARY)};
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int log = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(log >= 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(log, STDERR_FILENO);
      ::execv(MCPAUTH_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(log);
    REQUIRE(pid_ > 0);
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  std::string log() const { return read_file(log_); }

  // The port from "listening on http://127.0.0.1:PORT", once it is logged (0 if never).
  uint16_t port() const {
    std::smatch match;
    for (int i = 0; i < 200; ++i) {
      const std::string text = log();
      if (std::regex_search(text, match, std::regex(R"(listening on http://127\.0\.0\.1:([0-9]+))")))
        return static_cast<uint16_t>(std::stoi(match[1]));
      std::this_thread::sleep_for(50ms);
    }
    return 0;
  }

  void signal(int number) const { ::kill(pid_, number); }

  // The exit code, waiting up to 10 s; -1 when it did not exit normally in time.
  int wait() {
    for (int i = 0; i < 200; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(50ms);
    }
    return -1;
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

std::string write_config(const TempDir& dir, const std::string& name, const std::string& settings) {
  const auto path = dir / name;
  std::ofstream(path) << R"({"mcpauth": {"plugin_dirs": [")" SHIPPED_PLUGIN_DIR R"("])" << settings << R"(},
    "tools": {"url": "https://tools.example.com/mcp", "auth_type": "jwt"}})";
  return path.string();
}

}  // namespace

TEST_CASE("--help documents serve") {
  CommandResult help = run_command(MCPAUTH_BINARY " --help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.output, Catch::Contains("serve [--listen HOST:PORT]"));
}

TEST_CASE("serve answers until SIGTERM or SIGINT, then stops cleanly") {
  for (int stop_signal : {SIGTERM, SIGINT}) {
    INFO(stop_signal);
    TempDir dir("api-serve");
    ServeProcess serve(dir, {"--config", write_config(dir, "mcp.json", ""), "serve", "--listen", "127.0.0.1:0"});
    const uint16_t port = serve.port();
    REQUIRE(port != 0);
    CHECK(http_request(port, "GET", "/healthz").body == R"({"status":"ok"})");
    CHECK(http_request(port, "GET", "/api/mcp/auth/status", {{"X-User-Email", "a@example.com"}}).status == 200);
    serve.signal(stop_signal);
    CHECK(serve.wait() == 0);
    const std::string log = serve.log();
    CHECK_THAT(log, Catch::Contains(stop_signal == SIGTERM ? "stopping (SIGTERM)" : "stopping (SIGINT)"));
    CHECK_THAT(log, Catch::Contains("serve: stopped"));
    CHECK_THAT(log, Catch::Contains(R"(GET "/healthz" 200)"));
  }
}

TEST_CASE("serve refuses to start when it cannot serve safely or at all") {
  TempDir dir("api-serve-refused");
  struct Case {
    std::vector<std::string> arguments;
    int exit_code;
    std::string message;
  };
  const std::string production = write_config(dir, "production.json", R"(, "mode": "production")");
  const std::string development = write_config(dir, "development.json", "");
  for (const Case& c : {
           Case{{"--config", production, "serve", "--listen", "127.0.0.1:0"},
                1,
                "mcpauth: mode 'production' needs mcpauth.proxy_secret"},
           Case{{"--config", development, "serve", "--listen", "nowhere"}, 1, "is not host:port"},
           Case{{"--config", development, "serve", "extra"}, 2, "'serve' takes no arguments"},
           Case{{"--config", development, "serve", "--listen"}, 2, "option --listen needs a value"},
           Case{{"--config", development, "status", "--listen", "127.0.0.1:1"}, 2, "--listen applies only to 'serve'"},
       }) {
    std::string command = MCPAUTH_BINARY;
    for (const auto& argument : c.arguments) command += " '" + argument + "'";
    CommandResult result = run_command(command + " 2>&1");
    INFO(command);
    CHECK(result.exit_code == c.exit_code);
    CHECK_THAT(result.output, Catch::Contains(c.message));
  }
}
