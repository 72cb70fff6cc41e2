// The basic operations: round trip, not found, overwrite, remove, list by prefix.
#include "fresh_store.h"
#include "listing.h"
#include "values.h"

#include <catch2/catch.hpp>

using namespace contract;
using Keys = std::vector<std::string>;

TEST_CASE("round trip: a stored value reads back byte for byte", "[basic]") {
  FreshStore fresh;
  auto store = fresh.open();
  CHECK(sorted_list(*store, "").empty());
  Bytes value = random_bytes(1, 1000);
  store->put("token", value);
  CHECK(mismatch(store->get("token"), value) == "");
  CHECK(sorted_list(*store, "") == Keys{"token"});
}

TEST_CASE("missing keys: get and remove report not found", "[basic]") {
  FreshStore fresh;
  auto store = fresh.open();
  CHECK_FALSE(store->get("missing"));
  CHECK_FALSE(store->remove("missing"));
  store->put("present", as_bytes("v"));
  // Neighbours of a present key are still missing.
  for (const char* key : {"presen", "present/", "present.", "presentx", "Present", "missing"}) {
    INFO("key '" << key << "'");
    CHECK_FALSE(store->get(key));
    CHECK_FALSE(store->remove(key));
  }
  CHECK(mismatch(store->get("present"), as_bytes("v")) == "");
}

TEST_CASE("overwrite replaces the whole value, whether longer or shorter", "[basic]") {
  FreshStore fresh;
  auto store = fresh.open();
  for (size_t size : {1000, 10, 5000, 1, 4096}) {
    INFO("overwriting with " << size << " bytes");
    Bytes value = random_bytes(size, size);
    store->put("key", value);
    CHECK(mismatch(store->get("key"), value) == "");
  }
  CHECK(sorted_list(*store, "") == Keys{"key"});
}

TEST_CASE("remove deletes exactly one key, which can be written again", "[basic]") {
  FreshStore fresh;
  auto store = fresh.open();
  for (const char* key : {"a", "b", "c"}) store->put(key, as_bytes(key));
  CHECK(store->remove("b"));
  CHECK_FALSE(store->get("b"));
  CHECK(mismatch(store->get("a"), as_bytes("a")) == "");
  CHECK(mismatch(store->get("c"), as_bytes("c")) == "");
  CHECK(sorted_list(*store, "") == Keys{"a", "c"});
  CHECK_FALSE(store->remove("b"));
  store->put("b", as_bytes("again"));
  CHECK(mismatch(store->get("b"), as_bytes("again")) == "");
  for (const char* key : {"a", "b", "c"}) CHECK(store->remove(key));
  CHECK(sorted_list(*store, "").empty());
}

TEST_CASE("list returns exactly the keys starting with the prefix", "[basic][list]") {
  FreshStore fresh;
  auto store = fresh.open();
  const Keys all{"a", "a/", "a/b", "a/b/c", "ab", "abc", "b", "ba", "x/a"};
  for (const auto& key : all) store->put(key, as_bytes(key));

  CHECK(sorted_list(*store, "") == all);
  CHECK(sorted_list(*store, "a") == Keys{"a", "a/", "a/b", "a/b/c", "ab", "abc"});
  CHECK(sorted_list(*store, "a/") == Keys{"a/", "a/b", "a/b/c"});
  CHECK(sorted_list(*store, "a/b") == Keys{"a/b", "a/b/c"});
  CHECK(sorted_list(*store, "a/b/") == Keys{"a/b/c"});
  CHECK(sorted_list(*store, "ab") == Keys{"ab", "abc"});
  CHECK(sorted_list(*store, "abc") == Keys{"abc"});  // a prefix that is a whole key
  CHECK(sorted_list(*store, "b") == Keys{"b", "ba"});
  CHECK(sorted_list(*store, "x/") == Keys{"x/a"});
  for (const char* nothing : {"abcd", "c", "/", "x/a/", "A", "a/c"}) {
    INFO("prefix '" << nothing << "'");
    CHECK(sorted_list(*store, nothing).empty());
  }

  // Removing a key that looks like a directory leaves the keys "inside" it.
  CHECK(store->remove("a/b"));
  CHECK(sorted_list(*store, "a/") == Keys{"a/", "a/b/c"});
  CHECK(store->remove("a/"));
  CHECK(sorted_list(*store, "a") == Keys{"a", "a/b/c", "ab", "abc"});
}
