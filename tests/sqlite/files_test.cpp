// The files of a store: private modes whatever the umask, and clear refusals of files the plugin
// must not use.
#include "support.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

using namespace sqlite_test;

namespace {

// Sets the umask for the scope.
class Umask {
 public:
  explicit Umask(mode_t mask) : saved_(::umask(mask)) {}
  ~Umask() { ::umask(saved_); }

 private:
  mode_t saved_;
};

}  // namespace

TEST_CASE("directories are created 0700 and the database files 0600, whatever the umask") {
  mode_t mask = GENERATE(mode_t{0}, mode_t{022}, mode_t{0277});
  INFO("umask " << mask);
  TempDir dir;
  set_key(kKeyA);
  fs::path db = dir.path() / "a" / "b" / "tokens.db";
  Umask umask(mask);
  auto store = open_store(db);
  store->put("k", bytes("v"));
  CHECK(mode_of(dir.path() / "a") == 0700);
  CHECK(mode_of(dir.path() / "a" / "b") == 0700);
  CHECK(mode_of(db) == 0600);
  for (const char* suffix : {"-wal", "-shm"}) {  // exist while a connection is open
    fs::path file = db;
    file += suffix;
    REQUIRE(fs::exists(file));
    CHECK(mode_of(file) == 0600);
  }
}

TEST_CASE("a database file open to group or others is a warning, or refused when strict") {
  TempDir dir;
  set_key(kKeyA);
  open_store(dir.db())->put("k", bytes("v"));
  fs::permissions(dir.db(), fs::perms::group_read, fs::perm_options::add);
  {
    CapturedLog log;
    CHECK(open_store(dir.db())->get("k") == bytes("v"));
    CHECK_THAT(log.text(),
               Catch::Contains("database file " + dir.db().string() + " is readable or writable by group") &&
                   Catch::Contains("chmod 600"));
  }
  PluginError e = error_of([&] { open_store(dir.db(), R"("strict_permissions":true)"); });
  CHECK(e.status() == MCPAUTH_ERR_CONFIG);
  CHECK_THAT(e.what(), Catch::Contains(dir.db().string()));
  CHECK(mode_of(dir.db()) == 0640);  // reported, not silently changed
}

TEST_CASE("a file that is not a SQLite database is refused with its path and left alone") {
  TempDir dir;
  set_key(kKeyA);
  fs::create_directories(dir.db().parent_path());
  std::string content(4096, 'x');
  std::ofstream(dir.db()) << content;
  fs::permissions(dir.db(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);

  PluginError e = error_of([&] { open_store(dir.db()); });
  CHECK(e.status() == MCPAUTH_ERR_CONFIG);
  CHECK_THAT(e.what(), Catch::Contains(dir.db().string()) && Catch::Contains("not a SQLite database"));
  CHECK(file_contents(dir.db()) == content);
}

TEST_CASE("a database with a newer schema version is refused with its path") {
  TempDir dir;
  set_key(kKeyA);
  open_store(dir.db())->put("k", bytes("v"));
  RawDb(dir.db()).exec("PRAGMA user_version = 99");

  PluginError e = error_of([&] { open_store(dir.db()); });
  CHECK(e.status() == MCPAUTH_ERR_CONFIG);
  CHECK_THAT(e.what(), Catch::Contains(dir.db().string()) && Catch::Contains("schema version 99"));
  CHECK(RawDb(dir.db()).text("PRAGMA user_version") == "99");
}

TEST_CASE("a new database gets the current schema, in WAL mode") {
  TempDir dir;
  set_key(kKeyA);
  auto store = open_store(dir.db());
  RawDb raw(dir.db());
  CHECK(raw.text("PRAGMA user_version") == "1");
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  CHECK(
      raw.text("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)") ==
      "entries,locks");
}
