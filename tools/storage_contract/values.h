// Test values: plain random bytes, and self-checking values whose header (key hash, writer,
// version, length, checksum) lets a reader tell a complete value from a torn or misplaced one.
#pragma once

#include "mcpauth/core/instances.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace contract {

using mcpauth::core::Bytes;

Bytes as_bytes(std::string_view text);

// "" when got holds exactly expected; else a short description (never the bytes themselves,
// which may be megabytes), for CHECK(mismatch(...) == "").
std::string mismatch(const std::optional<Bytes>& got, const Bytes& expected);

// Deterministic pseudo-random bytes (the same seed gives the same bytes).
Bytes random_bytes(uint64_t seed, size_t size);

struct Stamp {
  uint32_t writer = 0;
  uint32_t version = 0;
};

// A value for `key` that carries its stamp and a body of body_size bytes.
Bytes stamped_value(std::string_view key, Stamp stamp, size_t body_size);

// The stamp of a value written by stamped_value for this very key; throws std::runtime_error
// saying what is wrong when the value is torn, corrupt or belongs to another key.
Stamp read_stamp(std::string_view key, const Bytes& value);

}  // namespace contract
