// Atomic, durable replacement of a file: readers see the old content or the new, never a part,
// and after a crash the file holds one of them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace mcpauth::fernet_file {

// Writes content to a new temp file in temp_dir (O_EXCL, mode 0600), fsyncs it, renames it over
// target (on the same file system) and fsyncs target's directory. On failure the temp file is
// removed, target is left as it was, and std::system_error tells which step failed and why.
void replace_file(const std::filesystem::path& temp_dir, const std::filesystem::path& target, std::string_view content);

// Creates and removes a temp file: throws std::system_error when dir cannot be written.
void check_writable(const std::filesystem::path& dir);

// Removes temp files more than an hour old: leftovers of writers that crashed between creating
// and renaming them. Returns how many were removed; one that cannot be removed is skipped.
// Throws std::system_error when dir cannot be read.
std::size_t remove_stale_temp_files(const std::filesystem::path& dir);

}  // namespace mcpauth::fernet_file
