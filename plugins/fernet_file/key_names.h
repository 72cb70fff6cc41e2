// Storage keys <-> paths of entry files: a reversible, collision-free encoding.
//
// Bytes in [A-Za-z0-9_-] are kept, every other byte becomes %XX (uppercase hex), and a suffix
// is appended: "a.b" -> "a%2Eb.fernet", "a_b" -> "a_b.fernet", "a%2Eb" -> "a%252Eb.fernet".
// An encoding longer than 240 bytes is cut, between escapes, into directory names of 238 to 240
// bytes, so that no file name exceeds NAME_MAX: "<240 bytes>/<the rest>.fernet". Only this
// canonical form decodes, so each key has exactly one path, and nothing whose name starts with
// '.' (temp files, the key file, the lock directory) is ever an entry.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mcpauth::fernet_file {

inline constexpr std::size_t kMaxKeySize = 1024;  // bytes of UTF-8
inline constexpr std::size_t kMaxNameSize = 240;  // bytes of encoding per path component
inline constexpr std::string_view kEntrySuffix = ".fernet";
inline constexpr std::string_view kLockSuffix = ".lock";

// The key's path relative to the store (or lock) directory, suffix included. Throws
// sdk::Error(MCPAUTH_ERR_INVALID_ARGUMENT) unless the key is non-empty valid UTF-8 without NUL,
// at most kMaxKeySize bytes.
std::filesystem::path key_path(std::string_view key, std::string_view suffix);

// The key whose entry path (relative to the store directory) this is; nullopt for any other path.
std::optional<std::string> decode_entry_path(const std::filesystem::path& relative);

// Whether a directory name can be a part of a long key's encoding (see key_path).
bool is_long_key_directory(std::string_view name);

// The key in double quotes for messages, control characters, quotes and backslashes as \xNN.
std::string display_key(std::string_view key);

}  // namespace mcpauth::fernet_file
