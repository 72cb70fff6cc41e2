#include "crypto/keyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mcpauth::crypto {
namespace {

std::string errno_text() { return std::strerror(errno); }

MultiFernet parse_keys(const std::string& text, const std::string& origin) {
  try {
    return MultiFernet::parse_key_list(text);
  } catch (const std::exception& e) {
    throw KeyError(origin + ": " + e.what());
  }
}

void write_all(int fd, const std::string& data, const std::filesystem::path& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw KeyError("cannot write key file " + path.string() + ": " + errno_text());
    done += static_cast<size_t>(n);
  }
}

// Creates the key file atomically: a complete temporary file is linked into place, so a reader
// never sees a partial key and two processes starting at once agree on one key (link fails with
// EEXIST for the second, which then reads the first one's file). Returns false if it existed.
bool create_key_file(const std::filesystem::path& path) {
  // Unique per attempt: several instances of one store may start at once, even in one process.
  const std::string unique = FernetKey::generate().encoded().substr(0, 12);  // url-safe characters
  std::filesystem::path temp = path;
  temp += ".tmp." + std::to_string(::getpid()) + "." + unique;
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw KeyError("cannot create key file " + path.string() + ": " + errno_text());
  std::string key = FernetKey::generate().encoded() + "\n";
  try {
    write_all(fd, key, path);
    if (::fsync(fd) != 0) throw KeyError("cannot write key file " + path.string() + ": " + errno_text());
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  int linked = ::link(temp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno == EEXIST) return false;
  if (linked != 0) throw KeyError("cannot create key file " + path.string() + ": " + std::strerror(link_errno));
  int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

std::string read_key_file(const std::filesystem::path& path, const KeySource& source,
                          std::vector<std::string>& warnings) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw KeyError("cannot read key file " + path.string() + ": " + errno_text());
  if ((info.st_mode & 077) != 0) {
    std::string problem = "key file " + path.string() + " is readable or writable by group or others (run: chmod 600 " +
                          path.string() + ")";
    if (source.strict) throw KeyError(problem);
    warnings.push_back(problem);
  }
  std::ifstream in(path);
  if (!in) throw KeyError("cannot read key file " + path.string() + ": " + errno_text());
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  return content;
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

StoreKeys load_store_keys(const KeySource& source, const GetEnv& getenv) {
  std::optional<std::string> from_env = source.env_name.empty() ? std::nullopt : getenv(source.env_name);
  if (from_env && !from_env->empty()) {
    std::string origin = "environment variable " + source.env_name;
    return StoreKeys{parse_keys(*from_env, origin), origin, {}};
  }
  std::vector<std::string> warnings;
  std::string origin = "key file " + source.key_file.string();
  // Read an existing file without writing anything: the directory may be read-only.
  std::error_code error;
  if (!std::filesystem::exists(source.key_file, error) && create_key_file(source.key_file))
    warnings.push_back("generated a new encryption key in " + source.key_file.string() + "; in production set " +
                       source.env_name +
                       " instead, and keep the key safe: without it the stored tokens cannot be read");
  std::string content = read_key_file(source.key_file, source, warnings);
  return StoreKeys{parse_keys(content, origin), origin, std::move(warnings)};
}

}  // namespace mcpauth::crypto
