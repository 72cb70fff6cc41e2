#include "values.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace contract {
namespace {

constexpr uint32_t kMagic = 0x4d435354;  // "MCST"

struct Header {
  uint32_t magic;
  uint32_t writer;
  uint32_t version;
  uint32_t reserved;
  uint64_t key_hash;
  uint64_t body_size;
  uint64_t body_checksum;
};

uint64_t fnv1a(const uint8_t* data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325u;
  for (size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 0x100000001b3u;
  return hash;
}

uint64_t hash_key(std::string_view key) { return fnv1a(reinterpret_cast<const uint8_t*>(key.data()), key.size()); }

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

void fill_random(uint64_t seed, uint8_t* out, size_t size) {
  uint64_t state = seed;
  for (size_t i = 0; i < size; i += 8) {
    uint64_t word = splitmix(state);
    std::memcpy(out + i, &word, std::min<size_t>(8, size - i));
  }
}

}  // namespace

Bytes as_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

std::string mismatch(const std::optional<Bytes>& got, const Bytes& expected) {
  if (!got) return "missing (not found)";
  if (*got == expected) return "";
  size_t common = std::min(got->size(), expected.size());
  size_t first = std::mismatch(got->begin(), got->begin() + common, expected.begin()).first - got->begin();
  return "got " + std::to_string(got->size()) + " bytes, expected " + std::to_string(expected.size()) +
         (first < common ? "; first difference at byte " + std::to_string(first) : "; one is a prefix of the other");
}

Bytes random_bytes(uint64_t seed, size_t size) {
  Bytes out(size);
  fill_random(seed, out.data(), size);
  return out;
}

Bytes stamped_value(std::string_view key, Stamp stamp, size_t body_size) {
  Bytes value(sizeof(Header) + body_size);
  uint8_t* body = value.data() + sizeof(Header);
  fill_random(hash_key(key) ^ (uint64_t{stamp.writer} << 32) ^ stamp.version, body, body_size);
  Header header{kMagic, stamp.writer, stamp.version, 0, hash_key(key), body_size, fnv1a(body, body_size)};
  std::memcpy(value.data(), &header, sizeof header);
  return value;
}

Stamp read_stamp(std::string_view key, const Bytes& value) {
  auto fail = [&](const std::string& what) {
    throw std::runtime_error("value of key '" + std::string(key) + "' (" + std::to_string(value.size()) +
                             " bytes) is " + what);
  };
  Header header{};
  if (value.size() < sizeof header) fail("shorter than its header: torn or not written by this suite");
  std::memcpy(&header, value.data(), sizeof header);
  if (header.magic != kMagic) fail("not a value written by this suite (bad magic): corrupt");
  if (header.body_size != value.size() - sizeof header)
    fail("torn: its header announces a " + std::to_string(header.body_size) + "-byte body");
  if (fnv1a(value.data() + sizeof header, header.body_size) != header.body_checksum) fail("corrupt: bad checksum");
  if (header.key_hash != hash_key(key)) fail("the value of another key: two keys share one entry");
  return Stamp{header.writer, header.version};
}

}  // namespace contract
