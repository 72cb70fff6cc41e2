#include "store_directory.h"

#include "atomic_write.h"
#include "posix_io.h"

#include <mcpauth/plugin.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace mcpauth::fernet_file {
namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

void make_private_directories(const std::filesystem::path& dir) {
  std::filesystem::path current;
  for (const std::filesystem::path& part : dir) {
    current /= part;
    // mkdir then EEXIST, rather than a check first: no race with another process creating it.
    if (::mkdir(current.c_str(), 0700) == 0) {
      sync_directory(current.parent_path());
    } else if (errno != EEXIST) {
      throw_errno("create directory " + current.string());
    }
  }
}

std::vector<std::string> prepare_store_directory(const std::filesystem::path& dir, bool strict) {
  std::vector<std::string> warnings;
  try {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) {
      if (errno != ENOENT) throw_errno("stat");
      make_private_directories(dir);
    } else if (!S_ISDIR(info.st_mode)) {
      throw sdk::Error(MCPAUTH_ERR_CONFIG, "store path " + dir.string() + " exists but is not a directory");
    } else if ((info.st_mode & 077) != 0) {
      std::string problem = "store directory " + dir.string() + " is accessible by group or others (mode " +
                            octal_mode(info.st_mode) + "; run: chmod 700 " + dir.string() + ")";
      if (strict) throw sdk::Error(MCPAUTH_ERR_CONFIG, problem);
      warnings.push_back(problem);
    }
    check_writable(dir);
  } catch (const std::system_error& e) {
    throw sdk::Error(MCPAUTH_ERR_IO, "cannot use store directory " + dir.string() + ": " + e.what());
  }
  return warnings;
}

}  // namespace mcpauth::fernet_file
