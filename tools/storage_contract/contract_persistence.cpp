// Shared stores (--shared): instances with the same config see one store, and it outlives them.
#include "fresh_store.h"
#include "listing.h"
#include "suite.h"
#include "values.h"

#include <catch2/catch.hpp>

using namespace contract;
using Keys = std::vector<std::string>;

TEST_CASE("reopen: what one instance wrote, the next one reads", "[shared][persistence]") {
  if (!available(Needs::shared)) return;
  FreshStore fresh;
  const Bytes binary = random_bytes(7, 4096);
  {
    auto first = fresh.open();
    first->put("token", binary);
    first->put("empty", Bytes{});
    first->put("user/a", as_bytes("a"));
    first->put("gone", as_bytes("soon removed"));
    REQUIRE(first->remove("gone"));
  }
  {
    auto second = fresh.open();
    CHECK(mismatch(second->get("token"), binary) == "");
    CHECK(mismatch(second->get("empty"), Bytes{}) == "");
    CHECK(mismatch(second->get("user/a"), as_bytes("a")) == "");
    CHECK_FALSE(second->get("gone"));
    CHECK(sorted_list(*second, "") == Keys{"empty", "token", "user/a"});
    second->put("token", as_bytes("rotated"));
    REQUIRE(second->remove("user/a"));
  }
  auto third = fresh.open();
  CHECK(mismatch(third->get("token"), as_bytes("rotated")) == "");
  CHECK(sorted_list(*third, "") == Keys{"empty", "token"});
}

TEST_CASE("two live instances of one store see each other's changes", "[shared][persistence]") {
  if (!available(Needs::shared)) return;
  FreshStore fresh;
  auto one = fresh.open();
  auto two = fresh.open();
  one->put("token", as_bytes("v1"));
  CHECK(mismatch(two->get("token"), as_bytes("v1")) == "");
  two->put("token", as_bytes("v2, longer"));
  CHECK(mismatch(one->get("token"), as_bytes("v2, longer")) == "");
  two->put("other", as_bytes("x"));
  CHECK(sorted_list(*one, "") == Keys{"other", "token"});
  CHECK(one->remove("token"));
  CHECK_FALSE(two->get("token"));
  CHECK_FALSE(two->remove("token"));
}
