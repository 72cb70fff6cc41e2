#include "test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <stdexcept>

namespace mcpauth::test {

TempDir::TempDir(const std::string& name) {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("mcpauth-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

StderrCapture::StderrCapture() : saved_fd_(::dup(STDERR_FILENO)), sink_(std::tmpfile()) {
  if (saved_fd_ < 0 || sink_ == nullptr) throw std::runtime_error("cannot capture stderr");
  std::fflush(stderr);
  ::dup2(fileno(sink_), STDERR_FILENO);
}

StderrCapture::~StderrCapture() {
  std::fflush(stderr);
  ::dup2(saved_fd_, STDERR_FILENO);
  ::close(saved_fd_);
  std::fclose(sink_);
}

std::string StderrCapture::text() const {
  std::fflush(stderr);
  std::string out;
  char buffer[4096];
  // pread: the shared file offset is where stderr keeps writing.
  for (off_t at = 0;;) {
    ssize_t n = ::pread(fileno(sink_), buffer, sizeof buffer, at);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
    at += n;
  }
  return out;
}

CommandResult run_command(const std::string& shell_command) {
  std::FILE* pipe = ::popen(shell_command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + shell_command);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace mcpauth::test
