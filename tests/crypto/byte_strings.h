#pragma once
// Conversions between the byte vectors of the Fernet API and std::string test data.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

inline std::vector<uint8_t> to_bytes(std::string_view text) { return {text.begin(), text.end()}; }

inline std::string to_string(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }
