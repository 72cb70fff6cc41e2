// Tokens live in the storage plugin: encrypted at rest, seen by every binding (and so every
// process) that uses the same store, at once.
#include "support.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

using namespace manual_jwt_test;

namespace {

// A valid Fernet key (test data only).
constexpr const char* kKey = "G-5HnA43_DMwMy9tpyYN9TEGkEDvfnV1pEkQyU2TVaY=";

std::string sqlite_server(const std::filesystem::path& db) {
  return R"({"url": "https://mcp.example.test/mcp", "auth_type": "jwt",
             "storage": {"plugin": "sqlite", "config": {"path": ")" +
         db.string() + R"(", "encryption_key_env": "MCPAUTH_MANUAL_JWT_TEST_KEY"}}})";
}

std::string file_contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("a stored token survives the binding and is used at once by others on the same store") {
  ::setenv("MCPAUTH_MANUAL_JWT_TEST_KEY", kKey, 1);
  mcpauth::test::TempDir dir("manual-jwt");
  const auto db = dir / "tokens.db";
  const std::string server_jwt = jwt_with_claims(R"({"sub":"server-level"})");
  const std::string alice_jwt = jwt_with_claims(R"({"sub":"alice"})");

  // Bound before anything is stored: it must not cache "no token".
  Server early(sqlite_server(db));
  CHECK(error_of([&] { early.auth().get_credentials("alice"); }).status() == MCPAUTH_ERR_AUTH_REQUIRED);
  {
    Server writer(sqlite_server(db));
    writer.auth().store_token("", server_jwt, "{}");
    writer.auth().store_token("alice", alice_jwt, R"({"scopes":["read"]})");
  }  // the writer's instances are gone, as after its process ended
  CHECK(early.auth().get_credentials("alice") == HeaderList{{"Authorization", "Bearer " + alice_jwt}});

  Server fresh(sqlite_server(db));
  CHECK(fresh.auth().get_credentials("alice") == HeaderList{{"Authorization", "Bearer " + alice_jwt}});
  CHECK(fresh.auth().get_credentials("bob") == HeaderList{{"Authorization", "Bearer " + server_jwt}});
  CHECK(parse(fresh.auth().status("alice"))->getValue<std::string>("subject") == "alice");

  // A logout in one binding is seen by the other at once.
  fresh.auth().logout("alice");
  CHECK(early.auth().get_credentials("alice") == HeaderList{{"Authorization", "Bearer " + server_jwt}});

  // Encrypted at rest: no part of the token is in the files.
  for (const char* file : {"tokens.db", "tokens.db-wal"}) {
    std::string bytes = file_contents(dir / file);
    CHECK(bytes.find(server_jwt.substr(server_jwt.find('.') + 1)) == std::string::npos);
    CHECK(bytes.find(server_jwt.substr(0, server_jwt.find('.'))) == std::string::npos);
  }
  ::unsetenv("MCPAUTH_MANUAL_JWT_TEST_KEY");
}
