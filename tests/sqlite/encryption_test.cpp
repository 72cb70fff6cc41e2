// Values at rest: Fernet tokens only, readable from Python with the key, and every key problem
// reported clearly without losing or touching a stored entry.
#include "support.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>

using namespace sqlite_test;

namespace {

const std::string kSecret = "refresh-token-4f1c2a9e-do-not-leak";

// Output of read_entry.py for one entry (the README's Python recipe).
std::string python_read(const fs::path& db, const std::string& key, const std::string& keys) {
  std::string command = "OAUTH_STORAGE_ENCRYPTION_KEY='" + keys + "' /usr/bin/python3 " READ_ENTRY_PY " '" +
                        db.string() + "' '" + key + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  CHECK(::pclose(pipe) == 0);
  return output;
}

std::string token_of(const fs::path& db, const std::string& key) {
  return RawDb(db).text("SELECT value FROM entries WHERE key = ?1", key);
}

void check_decrypt_error(const PluginError& e, const std::string& key) {
  CHECK(e.status() == MCPAUTH_ERR_CRYPTO);
  CHECK_THAT(e.what(), Catch::Contains("cannot decrypt " + key + ": wrong key or corrupted data"));
  CHECK_THAT(e.what(), !Catch::Contains(kKeyA) && !Catch::Contains(kKeyB));
}

}  // namespace

TEST_CASE("values are Fernet tokens on disk, and Python decrypts them with the key") {
  TempDir dir;
  set_key(kKeyA);
  {
    auto store = open_store(dir.db());
    store->put("user/alice", bytes(kSecret));
    std::string token = token_of(dir.db(), "user/alice");
    CHECK(token.starts_with("gAAAAA"));  // version byte 0x80, base64url
    CHECK(token.find(kSecret) == std::string::npos);
    CHECK(python_read(dir.db(), "user/alice", kKeyA) == kSecret);
  }
  // Nowhere in the files either (the WAL is folded into the database when the last connection closes).
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path file = dir.db();
    file += suffix;
    if (fs::exists(file)) CHECK(file_contents(file).find(kSecret) == std::string::npos);
  }
}

TEST_CASE("a wrong key names the entry, leaves it untouched, and other entries stay readable") {
  TempDir dir;
  set_key(kKeyA);
  open_store(dir.db())->put("old/a", bytes(kSecret));
  const std::string token = token_of(dir.db(), "old/a");

  set_key(kKeyB);
  auto store = open_store(dir.db());
  store->put("new/b", bytes("written with B"));
  check_decrypt_error(error_of([&] { store->get("old/a"); }), "old/a");
  check_decrypt_error(error_of([&] { store->metadata("old/a"); }), "old/a");
  CHECK(store->get("new/b") == bytes("written with B"));
  CHECK(store->list("").size() == 2);
  CHECK(token_of(dir.db(), "old/a") == token);

  set_key(kKeyA);  // the right key still reads it
  CHECK(open_store(dir.db())->get("old/a") == bytes(kSecret));
}

TEST_CASE("a tampered value is reported like a wrong key and stays as it is") {
  TempDir dir;
  set_key(kKeyA);
  auto store = open_store(dir.db());
  store->put("victim", bytes(kSecret));
  store->put("bystander", bytes("fine"));
  std::string token = token_of(dir.db(), "victim");
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  RawDb(dir.db()).run("UPDATE entries SET value = ?2 WHERE key = ?1", "victim", token);

  check_decrypt_error(error_of([&] { store->get("victim"); }), "victim");
  CHECK(store->get("bystander") == bytes("fine"));
  CHECK(token_of(dir.db(), "victim") == token);
}

TEST_CASE("keys rotate through the variable: the first encrypts, any decrypts") {
  TempDir dir;
  set_key(kKeyA);
  open_store(dir.db())->put("x", bytes("under A"));

  set_key(std::string(kKeyB) + ", " + kKeyA);
  {
    auto store = open_store(dir.db());
    CHECK(store->get("x") == bytes("under A"));
    store->put("y", bytes("under B"));
  }
  set_key(kKeyB);
  auto store = open_store(dir.db());
  CHECK(store->get("y") == bytes("under B"));
  check_decrypt_error(error_of([&] { store->get("x"); }), "x");
}

TEST_CASE("without the variable a key file is generated once, mode 0600, and reused") {
  TempDir dir;
  unset_key();
  fs::path key_file = dir.db().parent_path() / ".encryption_key";
  {
    CapturedLog log;
    open_store(dir.db())->put("k", bytes(kSecret));
    CHECK_THAT(log.text(),
               Catch::Contains("generated a new encryption key in " + key_file.string()) && Catch::Contains(kKeyEnv));
    REQUIRE(fs::exists(key_file));
    CHECK(mode_of(key_file) == 0600);
    std::string key = file_contents(key_file);
    key.pop_back();  // newline
    CHECK_THAT(log.text(), !Catch::Contains(key));
    CHECK(python_read(dir.db(), "k", key) == kSecret);
  }
  CHECK(open_store(dir.db())->get("k") == bytes(kSecret));

  fs::path elsewhere = dir.path() / "keys" / "store.key";
  fs::create_directories(elsewhere.parent_path());
  open_store(dir.path() / "other.db", R"("key_file":")" + elsewhere.string() + "\"");
  CHECK(fs::exists(elsewhere));
}

TEST_CASE("a malformed key fails at creation with CONFIG naming the variable, never the key") {
  TempDir dir;
  const std::string bad = "this-is-no-fernet-key-but-could-be-secret";
  for (const std::string& keys : {bad, std::string(kKeyA) + "," + bad}) {
    set_key(keys);
    PluginError e = error_of([&] { open_store(dir.db()); });
    CHECK(e.status() == MCPAUTH_ERR_CONFIG);
    CHECK_THAT(e.what(), Catch::Contains(std::string("environment variable ") + kKeyEnv));
    CHECK_THAT(e.what(), !Catch::Contains(bad) && !Catch::Contains(kKeyA));
  }
  unset_key();
  fs::path key_file = dir.db().parent_path() / ".encryption_key";
  fs::create_directories(key_file.parent_path());
  std::ofstream(key_file) << bad << "\n";
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write);
  PluginError e = error_of([&] { open_store(dir.db()); });
  CHECK(e.status() == MCPAUTH_ERR_CONFIG);
  CHECK_THAT(e.what(), Catch::Contains("key file " + key_file.string()) && !Catch::Contains(bad));
}
