// The files of a store on disk: the directory and the database file are created private
// (0700 and 0600, whatever the umask), before SQLite ever sees the path.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mcpauth::sqlite {

// Creates the missing directories (0700) and the database file (0600, empty) if absent.
// An existing database, -wal or -shm file that group or others may access is refused when
// strict (MCPAUTH_ERR_CONFIG), otherwise reported in the returned warnings.
// Throws mcpauth::sdk::Error (MCPAUTH_ERR_IO when the file system refuses).
std::vector<std::string> prepare_store_file(const std::filesystem::path& path, bool strict);

}  // namespace mcpauth::sqlite
