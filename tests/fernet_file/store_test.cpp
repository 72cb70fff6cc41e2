// The fernet_file plugin through the host: file format and Python interop, name encoding,
// permissions, metadata, locks, clean-up of stale temp files.
#include "fixture.h"
#include "python_peer.h"

#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <set>

using Catch::Contains;

namespace {

std::set<std::string> as_set(const std::vector<std::string>& keys) { return {keys.begin(), keys.end()}; }

}  // namespace

TEST_CASE("the config schema requires path and refuses unknown settings") {
  const mcpauth::schema::Schema& schema = fernet_file_plugin()->config_schema();
  CHECK(schema.validate_text(R"({"path":"/x"})").empty());
  CHECK(schema.validate_text(R"({"path":"/x","encryption_key_env":"K","key_file":"/k","strict_permissions":true})")
            .empty());
  CHECK_FALSE(schema.validate_text(R"({})").empty());
  CHECK_FALSE(schema.validate_text(R"({"path":""})").empty());
  CHECK_FALSE(schema.validate_text(R"({"path":"/x","paht":"/y"})").empty());
  CHECK_FALSE(schema.validate_text(R"({"path":"/x","strict_permissions":"yes"})").empty());
}

TEST_CASE("Python's Fernet decrypts the files we write: a bare token, nothing else") {
  TempDir dir;
  const std::string key = new_key();
  KeyEnv env(key);
  auto store = open_store(dir.path());
  const std::string value("refresh \0 token \xff", 17);
  store->put("alice.token", bytes(value));

  const std::string file = read_file(dir / "alice%2Etoken.fernet");
  CHECK(file.starts_with("gAAAAA"));
  CHECK(file.find_first_of("\r\n ") == std::string::npos);
  CHECK(run_peer({"decrypt", key}, file) == value);
}

TEST_CASE("files Python wrote are read, listed and described") {
  TempDir dir;
  const std::string key = new_key();
  KeyEnv env(key);
  auto store = open_store(dir.path());
  const std::string value = "written by cryptography.fernet \x01\x02";
  write_file(dir / "bob%40example%2Ecom%2Fgithub.fernet", run_peer({"encrypt", key, "1700000000"}, value));
  // A trailing newline, as `print` or an editor leaves it, is tolerated like Python does.
  write_file(dir / "with-newline.fernet", run_peer({"encrypt", key}, "x") + "\n");

  CHECK(text(store->get("bob@example.com/github").value()) == value);
  CHECK(text(store->get("with-newline").value()) == "x");
  CHECK(as_set(store->list("bob@")) == std::set<std::string>{"bob@example.com/github"});
  auto metadata =
      Poco::JSON::Parser().parse(store->metadata("bob@example.com/github").value()).extract<Poco::JSON::Object::Ptr>();
  CHECK(metadata->getValue<int64_t>("fernet_timestamp") == 1700000000);
}

TEST_CASE("names are encoded without collisions and decoded back by list") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  const std::map<std::string, std::string> files = {
      {"a.b", "a%2Eb.fernet"},       {"a_b", "a_b.fernet"},           {"a%2Eb", "a%252Eb.fernet"},
      {"bob_srv", "bob_srv.fernet"}, {"bob/srv", "bob%2Fsrv.fernet"}, {"ü x", "%C3%BC%20x.fernet"},
      {"..", "%2E%2E.fernet"},       {"Az09-_", "Az09-_.fernet"},
  };
  for (const auto& [key, file] : files) store->put(key, bytes("value of " + key));
  for (const auto& [key, file] : files) {
    INFO(key);
    CHECK(fs::is_regular_file(dir / file));
    CHECK(text(store->get(key).value()) == "value of " + key);
  }

  // Anything that is not the canonical encoding of a valid key is not an entry.
  for (const std::string foreign : {"notes.txt", "a.b.fernet", "a%2eb.fernet", "%41.fernet", ".fernet", "%FF.fernet",
                                    "%00.fernet", "a%2.fernet", ".tmp-1-abc", "a_b.fernet.bak"})
    write_file(dir / foreign, "not an entry");
  std::set<std::string> expected;
  for (const auto& [key, file] : files) expected.insert(key);
  CHECK(as_set(store->list("")) == expected);
  CHECK(as_set(store->list("a")) == std::set<std::string>{"a.b", "a_b", "a%2Eb"});
  CHECK(as_set(store->list("bob/")) == std::set<std::string>{"bob/srv"});
  CHECK(store->list("zzz").empty());
}

TEST_CASE("keys must be non-empty valid UTF-8 of at most 1024 bytes") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  for (const std::string& bad :
       {std::string(), std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80")}) {
    Failure failure = failure_of([&] { store->put(bad, bytes("v")); });
    CHECK(failure.status == MCPAUTH_ERR_INVALID_ARGUMENT);
  }
  store->put(std::string(1024, '/'), bytes("longest key"));
  Failure failure = failure_of([&] { store->put(std::string(1025, 'a'), bytes("v")); });
  CHECK(failure.status == MCPAUTH_ERR_INVALID_ARGUMENT);
  CHECK_THAT(failure.message, Contains("1025 bytes, the limit is 1024"));
  CHECK(failure_of([&] { store->get(std::string(1025, 'a')); }).status == MCPAUTH_ERR_INVALID_ARGUMENT);
  CHECK(store->list("") == std::vector<std::string>{std::string(1024, '/')});
}

TEST_CASE("long keys are cut into directories, no file name over 247 bytes") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  const std::string plain(241, 'a'), escaped(200, '.');
  std::string escaped_part;  // 80 escaped dots: 240 bytes
  for (int i = 0; i < 80; ++i) escaped_part += "%2E";
  store->put(std::string(240, 'a'), bytes("fits one name"));
  store->put(plain, bytes("plain"));
  store->put(escaped, bytes("escaped"));

  CHECK(fs::is_regular_file(dir / (std::string(240, 'a') + ".fernet")));
  CHECK(fs::is_regular_file(dir / std::string(240, 'a') / "a.fernet"));
  CHECK(fs::is_regular_file(dir / escaped_part / escaped_part / (escaped_part.substr(0, 120) + ".fernet")));
  CHECK(mode_of(dir / escaped_part / escaped_part) == 0700);
  CHECK(text(store->get(plain).value()) == "plain");
  CHECK(text(store->get(escaped).value()) == "escaped");
  CHECK(as_set(store->list("a")) == std::set<std::string>{std::string(240, 'a'), plain});

  mcpauth_lock* lock = nullptr;
  mcpauth_error err{};
  REQUIRE(store->lock_raw(escaped.c_str(), 0, &lock, &err) == MCPAUTH_OK);
  CHECK(fs::exists(dir / ".locks" / escaped_part / escaped_part / (escaped_part.substr(0, 120) + ".lock")));
  store->unlock_raw(lock);

  // Directories and files that are not the canonical layout of a key are not entries.
  fs::create_directories(dir / "subdir");
  write_file(dir / "subdir/a.fernet", "not an entry");
  write_file(dir / std::string(240, 'a') / "%41.fernet", "not an entry");
  fs::create_directories(dir / std::string(100, 'b'));
  write_file(dir / std::string(100, 'b') / "c.fernet", "not an entry");
  CHECK(store->remove(plain));
  CHECK(as_set(store->list("")) == std::set<std::string>{std::string(240, 'a'), escaped});
}

TEST_CASE("new directories are 0700, entries and lock files 0600") {
  TempDir dir;
  KeyEnv env(new_key());
  const fs::path store_dir = dir / "created/by/plugin";
  auto store = open_store(store_dir);
  store->put("k", bytes("v"));
  mcpauth_lock* lock = nullptr;
  mcpauth_error err{};
  REQUIRE(store->lock_raw("k", 0, &lock, &err) == MCPAUTH_OK);
  store->unlock_raw(lock);

  CHECK(mode_of(dir / "created") == 0700);
  CHECK(mode_of(dir / "created/by") == 0700);
  CHECK(mode_of(store_dir) == 0700);
  CHECK(mode_of(store_dir / ".locks") == 0700);
  CHECK(mode_of(store_dir / "k.fernet") == 0600);
  CHECK(mode_of(store_dir / ".locks/k.lock") == 0600);
}

TEST_CASE("put overwrites, remove deletes, absent keys are NOT_FOUND") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  CHECK_FALSE(store->get("k"));
  CHECK_FALSE(store->metadata("k"));
  CHECK_FALSE(store->remove("k"));
  store->put("k", bytes("first"));
  store->put("k", bytes("second"));
  store->put("empty", {});
  CHECK(text(store->get("k").value()) == "second");
  CHECK(store->get("empty").value().empty());
  CHECK(store->remove("k"));
  CHECK_FALSE(fs::exists(dir / "k.fernet"));
  CHECK_FALSE(store->get("k"));
  CHECK(store->list("") == std::vector<std::string>{"empty"});
}

TEST_CASE("metadata tells sizes and times, never the value") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  const int64_t before = std::time(nullptr);
  store->put("k", bytes("12345"));
  const int64_t after = std::time(nullptr);

  const std::string json = store->metadata("k").value();
  auto metadata = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  CHECK(metadata->size() == 4);
  CHECK(metadata->getValue<int64_t>("size") == 5);
  CHECK(metadata->getValue<int64_t>("stored_size") == static_cast<int64_t>(fs::file_size(dir / "k.fernet")));
  CHECK(metadata->getValue<int64_t>("updated_at") >= before);
  CHECK(metadata->getValue<int64_t>("updated_at") <= after);
  CHECK(metadata->getValue<int64_t>("fernet_timestamp") >= before);
  CHECK(metadata->getValue<int64_t>("fernet_timestamp") <= after);
  CHECK(json.find("12345") == std::string::npos);
}

TEST_CASE("a held lock keeps others out until it is released") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  REQUIRE(store->supports_locks());
  mcpauth_lock* held = nullptr;
  mcpauth_lock* other = nullptr;
  mcpauth_error err{};
  REQUIRE(store->lock_raw("a.b", 1000, &held, &err) == MCPAUTH_OK);
  CHECK(fs::exists(dir / ".locks/a%2Eb.lock"));

  CHECK(store->lock_raw("a.b", 50, &other, &err) == MCPAUTH_ERR_TIMEOUT);
  REQUIRE(store->lock_raw("a_b", 0, &other, &err) == MCPAUTH_OK);  // another key is another lock
  store->unlock_raw(other);
  store->unlock_raw(held);
  REQUIRE(store->lock_raw("a.b", 0, &other, &err) == MCPAUTH_OK);
  store->unlock_raw(other);
  CHECK(store->lock_raw("", 0, &other, &err) == MCPAUTH_ERR_INVALID_ARGUMENT);
}

TEST_CASE("stale temp files of crashed writers are removed at start-up, entries never") {
  TempDir dir;
  KeyEnv env(new_key());
  open_store(dir.path())->put("old", bytes("kept"));
  write_file(dir / ".tmp-4242-00000000deadbeef", "half a token");
  write_file(dir / ".tmp-4243-00000000feedface", "a write in progress");
  const struct timespec two_hours_ago[2] = {{std::time(nullptr) - 7200, 0}, {std::time(nullptr) - 7200, 0}};
  for (const char* name : {".tmp-4242-00000000deadbeef", "old.fernet"})
    REQUIRE(::utimensat(AT_FDCWD, (dir / name).c_str(), two_hours_ago, 0) == 0);

  auto store = open_store(dir.path());
  CHECK_FALSE(fs::exists(dir / ".tmp-4242-00000000deadbeef"));
  CHECK(fs::exists(dir / ".tmp-4243-00000000feedface"));
  CHECK(text(store->get("old").value()) == "kept");
  CHECK(store->list("") == std::vector<std::string>{"old"});
}
