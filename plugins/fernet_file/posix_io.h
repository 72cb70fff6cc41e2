// Small helpers over POSIX file calls. Failures throw std::system_error whose what() is
// "<operation>: <OS reason>" and whose code() holds the errno.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpauth::fernet_file {

// Throws std::system_error for the current errno. Call right after the failing system call.
[[noreturn]] void throw_errno(const std::string& operation);

// Owns a file descriptor and closes it.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd& operator=(UniqueFd&&) = delete;
  ~UniqueFd();
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

void write_all(int fd, std::string_view data);
std::string read_all(int fd);
// Makes the directory's entries (created, renamed or removed names) durable.
void sync_directory(const std::filesystem::path& dir);
// The names in a directory, without "." and "..".
std::vector<std::string> directory_names(const std::filesystem::path& dir);

}  // namespace mcpauth::fernet_file
