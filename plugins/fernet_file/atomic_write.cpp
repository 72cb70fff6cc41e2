#include "atomic_write.h"

#include "posix_io.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <ctime>

namespace mcpauth::fernet_file {
namespace {

// Temp files are ".tmp-<pid>-<random hex>": the leading '.' keeps them apart from entry names.
constexpr std::string_view kTempPrefix = ".tmp-";
constexpr std::time_t kStaleAfterSeconds = 3600;

std::string random_hex() {
  uint64_t value = 0;
  if (::getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value)) throw_errno("getrandom");
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (int shift = 60; shift >= 0; shift -= 4) hex += digits[(value >> shift) & 0xF];
  return hex;
}

// Opens a new, empty temp file in dir and sets name to its file name.
UniqueFd create_temp_file(const std::filesystem::path& dir, std::string& name) {
  for (int attempt = 1;; ++attempt) {
    name = std::string(kTempPrefix) + std::to_string(::getpid()) + "-" + random_hex();
    int fd = ::open((dir / name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != EEXIST || attempt == 8) throw_errno("create temporary file");
  }
}

}  // namespace

void replace_file(const std::filesystem::path& temp_dir, const std::filesystem::path& target,
                  std::string_view content) {
  std::string temp;
  UniqueFd fd = create_temp_file(temp_dir, temp);
  try {
    write_all(fd.get(), content);
    if (::fsync(fd.get()) != 0) throw_errno("fsync");
    if (::rename((temp_dir / temp).c_str(), target.c_str()) != 0) throw_errno("rename");
  } catch (...) {
    ::unlink((temp_dir / temp).c_str());
    throw;
  }
  sync_directory(target.parent_path());
}

void check_writable(const std::filesystem::path& dir) {
  std::string temp;
  create_temp_file(dir, temp);  // the returned descriptor closes at once
  if (::unlink((dir / temp).c_str()) != 0) throw_errno("remove temporary file");
}

std::size_t remove_stale_temp_files(const std::filesystem::path& dir) {
  const std::time_t now = std::time(nullptr);
  std::size_t removed = 0;
  for (const std::string& name : directory_names(dir)) {
    struct stat info {};
    if (!name.starts_with(kTempPrefix) || ::lstat((dir / name).c_str(), &info) != 0) continue;
    if (S_ISREG(info.st_mode) && now - info.st_mtime > kStaleAfterSeconds && ::unlink((dir / name).c_str()) == 0)
      ++removed;
  }
  return removed;
}

}  // namespace mcpauth::fernet_file
