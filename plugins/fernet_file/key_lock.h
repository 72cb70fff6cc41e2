// Exclusive locks on key names, across threads and processes: flock() on one lock file per key.
//
// flock locks belong to an open file description, so every acquisition opens the file anew:
// two threads of one process then exclude each other like two processes do. The kernel drops
// the lock when its holder dies, even by SIGKILL. Lock files are never deleted: removing one
// while another process waits on it would let two holders in (one on the old inode, one new).
#pragma once

#include "posix_io.h"

#include <mcpauth/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>

namespace mcpauth::fernet_file {

class KeyLock : public sdk::StoragePlugin::Lock {
 public:
  explicit KeyLock(UniqueFd fd) : fd_(std::move(fd)) {}  // closing the descriptor unlocks

 private:
  UniqueFd fd_;
};

// Polls flock(LOCK_EX | LOCK_NB) with short sleeps until timeout_ms (0: a single try) has
// passed; nullptr then. Throws std::system_error when the lock file cannot be opened, and
// sdk::Error(MCPAUTH_ERR_CANCELLED) when the host shuts the instance down while it waits.
std::unique_ptr<KeyLock> acquire_key_lock(const std::filesystem::path& lock_file, uint32_t timeout_ms,
                                          const sdk::Host& host);

}  // namespace mcpauth::fernet_file
