// Keys are arbitrary UTF-8 strings: every distinct string is a distinct entry, whatever a backend
// must do to store it (file names, SQL patterns, escaping).
#include "fresh_store.h"
#include "listing.h"
#include "values.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using namespace contract;
using Keys = std::vector<std::string>;

namespace {

// Keys that a naive mapping to file names, URLs or SQL patterns would merge, reject or misplace.
const Keys& awkward_keys() {
  static const Keys keys{// One escaping scheme's output must not meet another key's input.
                         "a.b", "a_b", "a%2eb", "a%2Eb", "a%b", "a%%b", "a-b", "a b", "a+b", "a~b",
                         // Path-like.
                         "a/b", "a%2fb", "a\\b", "a//b", "/leading", "trailing/", ".", "..", "...", ".hidden",
                         "trailing.",
                         // Wildcards of LIKE, GLOB and shells.
                         "a*b", "a?b", "a[b]", "a_", "a%",
                         // Quoting and separators.
                         "a'b", "a\"b", "a:b", "a;b", "a|b", "a#b", "a&b", "a=b", "$HOME", "~",
                         // White space and control characters.
                         " leading", "trailing ", "tab\there", "line\nbreak",
                         // Case, and names some systems reserve.
                         "K", "k", "CON", "nul",
                         // Non-ASCII, including the same letter precomposed and decomposed.
                         "ключ", "鍵/キー", "🔑", "\xc3\xa9", "e\xcc\x81"};
  return keys;
}

// Every prefix of key that ends on a UTF-8 character boundary (a prefix must be valid UTF-8).
std::vector<std::string> prefixes(const std::string& key) {
  std::vector<std::string> out;
  for (size_t length = 1; length <= key.size(); ++length)
    if (length == key.size() || (static_cast<unsigned char>(key[length]) & 0xc0) != 0x80)
      out.push_back(key.substr(0, length));
  return out;
}

// Puts a value stamped for its key under every key, then reads each back: a key that shares an
// entry with another reads the other's value and fails read_stamp.
void put_and_check_distinct(const mcpauth::core::StorageInstance& store, const Keys& keys) {
  for (uint32_t i = 0; i < keys.size(); ++i) store.put(keys[i], stamped_value(keys[i], {0, i + 1}, 20 + i));
  for (uint32_t i = 0; i < keys.size(); ++i) {
    INFO("key '" << keys[i] << "'");
    auto value = store.get(keys[i]);
    REQUIRE(value);
    CHECK(read_stamp(keys[i], *value).version == i + 1);
  }
  CHECK(sorted_list(store, "") == sorted(keys));
}

}  // namespace

TEST_CASE("awkward keys are distinct entries that round-trip", "[keys]") {
  FreshStore fresh;
  auto store = fresh.open();
  put_and_check_distinct(*store, awkward_keys());

  // Removing every other key leaves exactly the others.
  Keys kept;
  for (size_t i = 0; i < awkward_keys().size(); ++i) {
    if (i % 2 == 0) {
      INFO("key '" << awkward_keys()[i] << "'");
      CHECK(store->remove(awkward_keys()[i]));
    } else {
      kept.push_back(awkward_keys()[i]);
    }
  }
  CHECK(sorted_list(*store, "") == sorted(kept));
}

TEST_CASE("awkward keys are listed by prefix exactly", "[keys][list]") {
  FreshStore fresh;
  auto store = fresh.open();
  for (const auto& key : awkward_keys()) store->put(key, as_bytes(key));
  std::set<std::string> all_prefixes;
  for (const auto& key : awkward_keys())
    for (const auto& prefix : prefixes(key)) all_prefixes.insert(prefix);
  for (const auto& prefix : all_prefixes) {
    INFO("prefix '" << prefix << "'");
    Keys expected;
    for (const auto& key : awkward_keys())
      if (key.starts_with(prefix)) expected.push_back(key);
    CHECK(sorted_list(*store, prefix) == sorted(expected));
  }
}

TEST_CASE("keys never reach outside the store", "[keys]") {
  FreshStore fresh;
  auto store = fresh.open();
  const Keys traversal{"../escape",         "../../escape", "../../../escape", "../../../../escape",
                       "a/../../../escape", "./../escape",  "..\\escape"};
  for (const auto& key : traversal) {
    INFO("key '" << key << "'");
    CHECK_NOTHROW(store->put(key, as_bytes(key)));
  }
  if (!fresh.sandbox().empty()) {
    // Apart from @DIR@ and what is inside it, the sandbox holds only the directories leading to it.
    const std::string inside = fresh.directory().string();
    Keys outside;
    for (auto it = std::filesystem::recursive_directory_iterator(fresh.sandbox()); it != decltype(it)(); ++it) {
      std::string path = it->path().string();
      if (path == inside)
        it.disable_recursion_pending();
      else if (!inside.starts_with(path + "/"))
        outside.push_back(path);
    }
    CHECK(outside == Keys{});
  }
  for (const auto& key : traversal) {
    INFO("key '" << key << "'");
    CHECK(mismatch(store->get(key), as_bytes(key)) == "");
  }
  CHECK(sorted_list(*store, "") == sorted(traversal));
}

// 200 bytes is the key length every store must take, whatever the bytes; a store that escapes
// bytes into file names must plan for three times that.
TEST_CASE("long keys: 200 bytes of plain characters", "[keys][long]") {
  FreshStore fresh;
  auto store = fresh.open();
  const Keys keys{std::string(200, 'k'), std::string(199, 'x') + "1",
                  std::string(199, 'x') + "2"};  // differ in their last byte: bad truncation merges them
  put_and_check_distinct(*store, keys);
  CHECK(sorted_list(*store, std::string(199, 'x')) == Keys{keys[1], keys[2]});
}

TEST_CASE("long keys: 200 bytes that need escaping", "[keys][long]") {
  FreshStore fresh;
  auto store = fresh.open();
  std::string utf8, path_like;
  for (int i = 0; i < 100; ++i) {
    utf8 += "é";
    path_like += "a/";
  }
  put_and_check_distinct(*store, {utf8, std::string(200, '%'), path_like, std::string(200, '.')});
}

TEST_CASE("many keys: 2,000", "[keys][many]") {
  FreshStore fresh;
  auto store = fresh.open();
  constexpr uint32_t kCount = 2000;
  Keys keys;
  for (uint32_t i = 0; i < kCount; ++i) {
    std::string digits = std::to_string(i);
    keys.push_back("many/" + std::string(4 - digits.size(), '0') + digits);
  }
  for (const auto& key : keys) store->put(key, as_bytes(key));
  CHECK(sorted_list(*store, "") == keys);
  CHECK(sorted_list(*store, "many/1").size() == 1000);
  CHECK(sorted_list(*store, "many/19") == Keys(keys.begin() + 1900, keys.end()));
  std::vector<std::string> wrong;
  for (const auto& key : keys)
    if (!mismatch(store->get(key), as_bytes(key)).empty()) wrong.push_back(key);
  CHECK(wrong == Keys{});
  // Remove every tenth key.
  Keys kept;
  for (uint32_t i = 0; i < kCount; ++i)
    if (i % 10 != 0) kept.push_back(keys[i]);
  for (uint32_t i = 0; i < kCount; i += 10) REQUIRE(store->remove(keys[i]));
  CHECK(sorted_list(*store, "") == kept);
}
