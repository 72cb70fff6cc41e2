// The store directory: created private, checked when it already exists.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mcpauth::fernet_file {

// mkdir -p with mode 0700 for every directory it creates; each new name is made durable.
// Throws std::system_error naming the directory that failed.
void make_private_directories(const std::filesystem::path& dir);

// Readies the store directory: creates it (and missing parents) with mode 0700, or checks the
// existing one: it must be a directory we can write; access by group or others is a returned
// warning, or an error when strict. Throws sdk::Error naming the path: MCPAUTH_ERR_CONFIG for
// what the configuration got wrong, MCPAUTH_ERR_IO when the OS refuses.
std::vector<std::string> prepare_store_directory(const std::filesystem::path& dir, bool strict);

}  // namespace mcpauth::fernet_file
