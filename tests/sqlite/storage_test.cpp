// The sqlite plugin as a store: entries, listings, metadata, and what SQLite errors become.
#include "support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace sqlite_test;

namespace {

std::set<std::string> listed(const StorageInstance& store, const std::string& prefix) {
  auto keys = store.list(prefix);
  return std::set<std::string>(keys.begin(), keys.end());
}

}  // namespace

TEST_CASE("the sqlite plugin stores, overwrites, removes and describes entries") {
  TempDir dir;
  set_key(kKeyA);
  auto store = open_store(dir.db());
  CHECK(store->supports_locks());

  CHECK_FALSE(store->get("user/a"));
  const Bytes binary = bytes(std::string("\0binary\xff\n", 9));
  store->put("user/a", binary);
  CHECK(store->get("user/a") == binary);
  store->put("user/a", bytes("second"));
  CHECK(store->get("user/a") == bytes("second"));
  store->put("empty", {});
  CHECK(store->get("empty") == Bytes{});

  int64_t before = now_ms() / 1000;
  store->put("user/b", bytes("12345"));
  int64_t after = now_ms() / 1000;
  std::string token = RawDb(dir.db()).text("SELECT value FROM entries WHERE key = ?1", "user/b");
  auto metadata = store->metadata("user/b");
  REQUIRE(metadata);
  bool updated_at_in_range = false;
  for (int64_t t = before; t <= after; ++t)
    updated_at_in_range |= *metadata == R"({"size":5,"stored_size":)" + std::to_string(token.size()) +
                                            R"(,"updated_at":)" + std::to_string(t) + "}";
  CHECK(updated_at_in_range);
  CHECK_FALSE(store->metadata("missing"));

  CHECK(store->remove("user/a"));
  CHECK_FALSE(store->remove("user/a"));
  CHECK_FALSE(store->get("user/a"));
  CHECK(listed(*store, "") == std::set<std::string>{"empty", "user/b"});
}

TEST_CASE("listing matches the prefix byte for byte: % and _ are no wildcards, case counts") {
  TempDir dir;
  set_key(kKeyA);
  auto store = open_store(dir.db());
  const std::set<std::string> keys = {"a",   "a%", "a%b",        "a_b",      "axb",      "ab",
                                      "A_b", "b",  "\xc3\xa9/1", "\xc3\xaa", "\xff\xff", "\xff\xfe"};
  for (const std::string& key : keys) store->put(key, bytes("v"));

  CHECK(listed(*store, "") == keys);
  CHECK(listed(*store, "a_") == std::set<std::string>{"a_b"});
  CHECK(listed(*store, "a%") == std::set<std::string>{"a%", "a%b"});
  CHECK(listed(*store, "A") == std::set<std::string>{"A_b"});
  CHECK(listed(*store, "a") == std::set<std::string>{"a", "a%", "a%b", "a_b", "axb", "ab"});
  CHECK(listed(*store, "\xc3\xa9") == std::set<std::string>{"\xc3\xa9/1"});  // "é", not "ê"
  CHECK(listed(*store, "\xff") == std::set<std::string>{"\xff\xff", "\xff\xfe"});
  CHECK(listed(*store, "a%b") == std::set<std::string>{"a%b"});
  CHECK(listed(*store, "zz").empty());
}

TEST_CASE("a write blocked by another connection beyond busy_timeout_ms is a TIMEOUT naming the database and key") {
  TempDir dir;
  set_key(kKeyA);
  auto store = open_store(dir.db(), R"("busy_timeout_ms":100)");
  store->put("k", bytes("old"));

  RawDb other(dir.db());
  other.exec("BEGIN IMMEDIATE");
  PluginError e = error_of([&] { store->put("k", bytes("new")); });
  CHECK(e.status() == MCPAUTH_ERR_TIMEOUT);
  CHECK_THAT(e.what(), Catch::Contains(dir.db().string()) && Catch::Contains("'k'") && Catch::Contains("100 ms"));
  CHECK(store->get("k") == bytes("old"));  // readers are not blocked by a writer (WAL)
  other.exec("ROLLBACK");

  store->put("k", bytes("new"));
  CHECK(store->get("k") == bytes("new"));
}

TEST_CASE("instances share the file: what one writes, another reads") {
  TempDir dir;
  set_key(kKeyA);
  auto first = open_store(dir.db());
  auto second = open_store(dir.db());
  first->put("shared", bytes("from first"));
  CHECK(second->get("shared") == bytes("from first"));
  CHECK(second->remove("shared"));
  CHECK_FALSE(first->get("shared"));
}
