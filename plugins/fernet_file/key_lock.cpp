#include "key_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <cerrno>

namespace mcpauth::fernet_file {

std::unique_ptr<KeyLock> acquire_key_lock(const std::filesystem::path& lock_file, uint32_t timeout_ms,
                                          const sdk::Host& host) {
  UniqueFd fd(::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) throw_errno("open lock file " + lock_file.string());
  const int64_t deadline = host.monotonic_ms() + timeout_ms;
  int64_t pause_ms = 1;  // doubles up to 20 ms: quick hand-over, little spinning on long waits
  for (;;) {
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return std::make_unique<KeyLock>(std::move(fd));
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) throw_errno("flock " + lock_file.string());
    const int64_t left = deadline - host.monotonic_ms();
    if (left <= 0) return nullptr;
    if (!host.sleep_ms(static_cast<uint64_t>(std::min(pause_ms, left))))
      throw sdk::Error(MCPAUTH_ERR_CANCELLED, "lock wait cancelled: the storage is shutting down");
    pause_ms = std::min<int64_t>(pause_ms * 2, 20);
  }
}

}  // namespace mcpauth::fernet_file
