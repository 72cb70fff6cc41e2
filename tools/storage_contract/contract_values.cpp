// Values are opaque bytes: any byte, any length from 0 to several MiB.
#include "fresh_store.h"
#include "listing.h"
#include "values.h"

#include <catch2/catch.hpp>

using namespace contract;

TEST_CASE("binary values: every byte value, embedded and leading NULs", "[values]") {
  FreshStore fresh;
  auto store = fresh.open();
  Bytes every_byte(256);
  for (size_t i = 0; i < every_byte.size(); ++i) every_byte[i] = static_cast<uint8_t>(i);
  Bytes reversed(every_byte.rbegin(), every_byte.rend());
  const std::vector<std::pair<std::string, Bytes>> cases{
      {"every byte", every_byte},
      {"every byte reversed", reversed},
      {"embedded NULs", as_bytes(std::string_view("a\0b\0\0c", 6))},
      {"only NULs", Bytes(100, 0)},
      {"trailing NUL", as_bytes(std::string_view("text\0", 5))},
      {"CR LF and high bytes", as_bytes("\r\n\xff\xfe\x80\n")},
      {"random 64 KiB", random_bytes(64, 64 * 1024)},
  };
  for (const auto& [key, value] : cases) store->put(key, value);
  for (const auto& [key, value] : cases) {
    INFO(key);
    CHECK(mismatch(store->get(key), value) == "");
  }
}

TEST_CASE("empty values are stored, not taken for absent", "[values]") {
  FreshStore fresh;
  auto store = fresh.open();
  store->put("empty", Bytes{});
  CHECK(mismatch(store->get("empty"), Bytes{}) == "");
  CHECK(sorted_list(*store, "") == std::vector<std::string>{"empty"});

  store->put("emptied", as_bytes("something"));
  store->put("emptied", Bytes{});
  CHECK(mismatch(store->get("emptied"), Bytes{}) == "");
  store->put("emptied", as_bytes("again"));
  CHECK(mismatch(store->get("emptied"), as_bytes("again")) == "");

  CHECK(store->remove("empty"));
  CHECK_FALSE(store->get("empty"));
}

TEST_CASE("large values: 1 MiB and 8 MiB", "[values][large]") {
  FreshStore fresh;
  auto store = fresh.open();
  for (size_t mib : {1, 8}) {
    INFO(mib << " MiB");
    Bytes value = random_bytes(mib, mib << 20);
    store->put("large", value);
    CHECK(mismatch(store->get("large"), value) == "");
  }
  // A small value replacing a large one is not padded with the rest of the old one.
  store->put("large", as_bytes("small now"));
  CHECK(mismatch(store->get("large"), as_bytes("small now")) == "");
}
