#include "posix_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <system_error>

namespace mcpauth::fernet_file {

void throw_errno(const std::string& operation) { throw std::system_error(errno, std::system_category(), operation); }

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write");
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string read_all(int fd) {
  std::string text;
  char buffer[16384];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read");
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

void sync_directory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw_errno("open directory " + dir.string());
  if (::fsync(fd.get()) != 0) throw_errno("fsync directory " + dir.string());
}

std::vector<std::string> directory_names(const std::filesystem::path& dir) {
  struct CloseDir {
    void operator()(DIR* stream) const { ::closedir(stream); }
  };
  std::unique_ptr<DIR, CloseDir> stream(::opendir(dir.c_str()));
  if (!stream) throw_errno("open directory " + dir.string());
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(stream.get());
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  if (errno != 0) throw_errno("read directory " + dir.string());
  return names;
}

}  // namespace mcpauth::fernet_file
