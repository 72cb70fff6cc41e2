// The store of browser sign-ins in progress: single use, expiry, and its bounds.
#include "pending_authorizations.h"

#include <catch2/catch.hpp>

#include <thread>

using mcpauth::api::PendingAuthorization;
using mcpauth::api::PendingAuthorizations;
using namespace std::chrono_literals;

namespace {

PendingAuthorization sign_in(const std::string& user, const std::string& server = "web") {
  return PendingAuthorization{user, server, "session-" + user, {1, 2, 3}};
}

}  // namespace

TEST_CASE("a pending sign-in is taken once") {
  PendingAuthorizations store(600s, 10, 5);
  store.add("s1", sign_in("alice"));
  auto taken = store.take("s1");
  REQUIRE(taken);
  CHECK(taken->user == "alice");
  CHECK(taken->server == "web");
  CHECK(taken->session == "session-alice");
  CHECK(taken->pending == mcpauth::core::Bytes{1, 2, 3});
  CHECK_FALSE(store.take("s1"));
  CHECK_FALSE(store.take("never-added"));
  CHECK(store.size() == 0);
}

TEST_CASE("a pending sign-in expires") {
  PendingAuthorizations store(50ms, 10, 5);
  store.add("old", sign_in("alice"));
  std::this_thread::sleep_for(80ms);
  store.add("new", sign_in("bob"));  // adding drops what expired
  CHECK(store.size() == 1);
  CHECK_FALSE(store.take("old"));
  CHECK(store.take("new"));
}

TEST_CASE("past the capacity the oldest sign-in goes, overall and per user") {
  PendingAuthorizations store(600s, 3, 2);
  store.add("a1", sign_in("alice"));
  store.add("b1", sign_in("bob"));
  store.add("a2", sign_in("alice"));
  store.add("a3", sign_in("alice"));  // alice has two already: her oldest goes
  CHECK_FALSE(store.take("a1"));
  CHECK(store.size() == 3);
  store.add("c1", sign_in("carol"));  // full: the oldest of all goes
  CHECK_FALSE(store.take("b1"));
  CHECK(store.take("a2"));
  CHECK(store.take("a3"));
  CHECK(store.take("c1"));
}

TEST_CASE("the same state added again replaces the first") {
  PendingAuthorizations store(600s, 10, 5);
  store.add("s", sign_in("alice"));
  store.add("s", sign_in("bob"));
  CHECK(store.size() == 1);
  CHECK(store.take("s")->user == "bob");
}
