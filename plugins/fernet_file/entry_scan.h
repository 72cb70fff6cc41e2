// Finding the entries of a store: the key of every entry file in the store directory and in
// the directories of long keys (see key_names.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mcpauth::fernet_file {

// Throws std::system_error when a directory cannot be read.
std::vector<std::string> scan_keys(const std::filesystem::path& store_dir);

}  // namespace mcpauth::fernet_file
