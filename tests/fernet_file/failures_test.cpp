// Failures of the fernet_file plugin: unusable directories and writes that fail half-way.
// The tests run as root in CI, and root ignores permission bits: read-only directories are
// tested in a child process that gives up root, a full disk with RLIMIT_FSIZE (the write fails
// part-way with EFBIG, as with ENOSPC). A read-only file system (EROFS) takes a mount, so it is
// not tested here; it fails through the same paths as EACCES.
#include "fixture.h"

#include <catch2/catch.hpp>

#include <grp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

using Catch::Contains;

namespace {

// What a call in the child process reports: "OK" or "<status> <message>".
std::string outcome(const std::function<void()>& call) {
  try {
    call();
    return "OK";
  } catch (const mcpauth::core::PluginError& e) {
    return std::to_string(e.status()) + " " + e.what();
  }
}

// Runs each call in one child process that has dropped root (uid/gid 65534, "nobody"), and
// returns their outcomes (no Catch2 assertions in the calls: the child's are not counted).
// Without root to begin with, the calls simply run unprivileged.
std::vector<std::string> run_unprivileged(const std::vector<std::function<void()>>& calls) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipe_fds[0]);
    std::string report;
    if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      report = "cannot drop root\n";
    } else {
      for (const auto& call : calls) report += outcome(call) + "\n";
    }
    if (::write(pipe_fds[1], report.data(), report.size()) != static_cast<ssize_t>(report.size())) ::_exit(1);
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string report;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) report.append(buffer, static_cast<size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  std::vector<std::string> outcomes;
  for (size_t start = 0, end; (end = report.find('\n', start)) != std::string::npos; start = end + 1)
    outcomes.push_back(report.substr(start, end - start));
  REQUIRE(outcomes.size() == calls.size());
  return outcomes;
}

// Caps the size of files this process writes: writes beyond it fail with EFBIG.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) : old_handler_(std::signal(SIGXFSZ, SIG_IGN)) {
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit_) == 0);
    const rlimit limit{bytes, old_limit_.rlim_max};
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_limit_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_limit_{};
  void (*old_handler_)(int);
};

}  // namespace

TEST_CASE("a path that is not a usable directory fails at start-up, naming the path") {
  TempDir dir;
  KeyEnv env(new_key());
  write_file(dir / "file", "a file, not a directory");

  Failure failure = failure_of([&] { open_store(dir / "file"); });
  CHECK(failure.status == MCPAUTH_ERR_CONFIG);
  CHECK_THAT(failure.message, Contains((dir / "file").string() + " exists but is not a directory"));

  failure = failure_of([&] { open_store(dir / "file/store"); });
  CHECK(failure.status == MCPAUTH_ERR_IO);
  CHECK_THAT(failure.message, Contains((dir / "file/store").string()) && Contains("Not a directory"));

  failure = failure_of([&] { open_store("/proc/mcpauth-fernet-file-test/store"); });
  CHECK(failure.status == MCPAUTH_ERR_IO);
  CHECK_THAT(failure.message, Contains("/proc/mcpauth-fernet-file-test"));
}

TEST_CASE("a directory open to group or others: a warning, or refused when strict") {
  TempDir dir;
  KeyEnv env(new_key());
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  {
    StderrCapture capture;
    open_store(dir.path());
    CHECK_THAT(capture.text(), Contains("store directory " + dir.path().string() +
                                        " is accessible by group or others (mode 0750; run: chmod 700"));
  }
  Failure failure = failure_of([&] { open_store(dir.path(), R"("strict_permissions":true)"); });
  CHECK(failure.status == MCPAUTH_ERR_CONFIG);
  CHECK_THAT(failure.message, Contains("is accessible by group or others"));

  fs::permissions(dir.path(), fs::perms::owner_all);
  StderrCapture capture;
  open_store(dir.path(), R"("strict_permissions":true)");
  CHECK(capture.text().find("accessible") == std::string::npos);
}

TEST_CASE("a read-only directory: start-up, put and remove fail with the reason, nothing changes") {
  TempDir dir;
  KeyEnv env(new_key());
  const fs::path store_dir = dir / "store";
  auto store = open_store(store_dir);
  store->put("k", bytes("value"));
  const auto before = snapshot(store_dir);
  // Readable and searchable by everyone (the unprivileged child included), writable by nobody.
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(store_dir,
                  fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read | fs::perms::others_exec);

  const std::vector<std::string> outcomes = run_unprivileged({
      [&] { store->put("k", bytes("new value")); },
      [&] { store->remove("k"); },
      [&] { open_store(store_dir); },
  });
  CHECK_THAT(outcomes[0], Contains(std::to_string(MCPAUTH_ERR_IO) + " ") &&
                              Contains("cannot store \"k\" in " + store_dir.string()) && Contains("Permission denied"));
  CHECK_THAT(outcomes[1], Contains("cannot remove \"k\"") && Contains("Permission denied"));
  CHECK_THAT(outcomes[2], Contains(std::to_string(MCPAUTH_ERR_IO) + " ") &&
                              Contains("cannot use store directory " + store_dir.string()) &&
                              Contains("Permission denied"));

  fs::permissions(store_dir, fs::perms::owner_all);
  CHECK(snapshot(store_dir) == before);
  CHECK(text(store->get("k").value()) == "value");
}

TEST_CASE("a write that fails half-way leaves the old value and no temp file") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  store->put("k", bytes("old value"));
  const auto before = snapshot(dir.path());
  {
    FileSizeLimit limit(1024);
    Failure failure = failure_of([&] { store->put("k", Bytes(100000, 'x')); });
    CHECK(failure.status == MCPAUTH_ERR_IO);
    CHECK_THAT(failure.message, Contains("cannot store \"k\" in " + dir.path().string() + ": write: File too large"));
    CHECK(failure_of([&] { store->put("new", Bytes(100000, 'x')); }).status == MCPAUTH_ERR_IO);
  }
  CHECK(snapshot(dir.path()) == before);
  CHECK(text(store->get("k").value()) == "old value");
  CHECK_FALSE(store->get("new"));
}

TEST_CASE("a rename that fails removes the temp file and leaves the target alone") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  fs::create_directory(dir / "x.fernet");
  write_file(dir / "x.fernet/inside", "someone else's");
  const auto before = snapshot(dir.path());

  Failure failure = failure_of([&] { store->put("x", bytes("v")); });
  CHECK(failure.status == MCPAUTH_ERR_IO);
  CHECK_THAT(failure.message, Contains("cannot store \"x\"") && Contains("rename"));
  CHECK(snapshot(dir.path()) == before);
  CHECK(read_file(dir / "x.fernet/inside") == "someone else's");
  CHECK(failure_of([&] { store->get("x"); }).status == MCPAUTH_ERR_IO);
}
