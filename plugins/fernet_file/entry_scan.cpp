#include "entry_scan.h"

#include "key_names.h"
#include "posix_io.h"

#include <sys/stat.h>

#include <cerrno>

namespace mcpauth::fernet_file {
namespace {

void scan(const std::filesystem::path& store_dir, const std::filesystem::path& relative,
          std::vector<std::string>& keys) {
  for (const std::string& name : directory_names(store_dir / relative)) {
    if (name.starts_with('.')) continue;  // temp files, the key file, the lock directory
    const std::filesystem::path candidate = relative / name;
    struct stat info {};
    if (::lstat((store_dir / candidate).c_str(), &info) != 0) {
      if (errno == ENOENT) continue;  // removed meanwhile
      throw_errno("stat " + (store_dir / candidate).string());
    }
    if (S_ISREG(info.st_mode)) {
      if (std::optional<std::string> key = decode_entry_path(candidate)) keys.push_back(std::move(*key));
    } else if (S_ISDIR(info.st_mode) && is_long_key_directory(name)) {
      scan(store_dir, candidate, keys);
    }
  }
}

}  // namespace

std::vector<std::string> scan_keys(const std::filesystem::path& store_dir) {
  std::vector<std::string> keys;
  scan(store_dir, {}, keys);
  return keys;
}

}  // namespace mcpauth::fernet_file
