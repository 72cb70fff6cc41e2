// Helpers shared by the test programs.
#pragma once

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace mcpauth::test {

// A new, empty directory (mode 0700), removed with everything in it at destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& name = "test");
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Everything written to stderr (where the host logs) while it exists.
class StderrCapture {
 public:
  StderrCapture();
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;
  ~StderrCapture();
  std::string text() const;  // what was captured so far

 private:
  int saved_fd_;
  std::FILE* sink_;
};

// Runs a shell command; its stdout (add " 2>&1" for stderr too) and exit code (-1 when it did not
// exit normally).
struct CommandResult {
  int exit_code;
  std::string output;
};
CommandResult run_command(const std::string& shell_command);

// The exception of type Error that call throws; std::logic_error (failing the test) when it
// throws none.
template <class Error, class Call>
Error thrown_by(Call&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  throw std::logic_error("expected an exception, none was thrown");
}

}  // namespace mcpauth::test
