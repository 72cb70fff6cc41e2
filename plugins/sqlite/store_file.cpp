#include "store_file.h"

#include <mcpauth/plugin.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mcpauth::sqlite {
namespace {

namespace fs = std::filesystem;
using mcpauth::sdk::Error;

[[noreturn]] void io_failure(const std::string& action, const fs::path& path) {
  throw Error(MCPAUTH_ERR_IO, "cannot " + action + " " + path.string() + ": " + std::strerror(errno));
}

// Makes a new directory entry survive a power loss (best effort: some file systems refuse).
void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void create_private_directories(const fs::path& dir) {
  struct stat info {};
  if (dir.empty() || ::stat(dir.c_str(), &info) == 0) return;
  create_private_directories(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST) return;  // another process was faster; its directory, its mode
    io_failure("create directory", dir);
  }
  // mkdir's mode passes through the umask; chmod does not.
  if (::chmod(dir.c_str(), 0700) != 0) io_failure("set the permissions of", dir);
  sync_directory(dir.parent_path());
}

void create_database_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;
    io_failure("create database file", path);
  }
  // Exactly 0600 whatever the umask. SQLite later gives the -wal and -shm files the mode of the
  // database file, so they are private too.
  bool chmodded = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  if (!chmodded) io_failure("set the permissions of", path);
  sync_directory(path.parent_path());
}

void check_permissions(const fs::path& path, bool strict, std::vector<std::string>& warnings) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path file = path;
    file += suffix;
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0 || (info.st_mode & 077) == 0) continue;  // -wal/-shm come and go
    std::string problem = "database file " + file.string() +
                          " is readable or writable by group or others (run: chmod 600 " + file.string() + ")";
    if (strict) throw Error(MCPAUTH_ERR_CONFIG, problem);
    warnings.push_back(problem);
  }
}

}  // namespace

std::vector<std::string> prepare_store_file(const fs::path& path, bool strict) {
  create_private_directories(path.parent_path());
  create_database_file(path);
  std::vector<std::string> warnings;
  check_permissions(path, strict, warnings);
  return warnings;
}

}  // namespace mcpauth::sqlite
