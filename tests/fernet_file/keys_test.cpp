// Keys of the fernet_file plugin: environment variable with rotation, generated key file,
// malformed keys, and entries that do not decrypt (nothing is ever deleted or rewritten).
#include "fixture.h"
#include "python_peer.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using Catch::Contains;

TEST_CASE("rotation: old entries stay readable, new writes use the first key") {
  TempDir dir;
  const std::string old_key = new_key(), new_key_text = new_key();
  {
    KeyEnv env(old_key);
    open_store(dir.path())->put("written-before", bytes("old secret"));
  }
  const std::string old_file = read_file(dir / "written-before.fernet");
  KeyEnv env(" " + new_key_text + " , " + old_key);
  auto store = open_store(dir.path());
  CHECK(text(store->get("written-before").value()) == "old secret");
  store->put("written-after", bytes("new secret"));

  const std::string new_file = read_file(dir / "written-after.fernet");
  CHECK(run_peer({"decrypt", new_key_text}, new_file) == "new secret");
  CHECK_THROWS_AS(run_peer({"decrypt", old_key}, new_file), std::runtime_error);
  CHECK(read_file(dir / "written-before.fernet") == old_file);  // reading does not re-encrypt
}

TEST_CASE("without the variable a key file is generated (0600) with a warning, then reused") {
  TempDir dir;
  KeyEnv env(std::nullopt);
  std::string log;
  {
    StderrCapture capture;
    open_store(dir.path())->put("k", bytes("v"));
    log = capture.text();
  }
  CHECK_THAT(log, Contains("generated a new encryption key in " + (dir / ".encryption_key").string()));
  CHECK_THAT(log, Contains(kKeyEnv));
  REQUIRE(fs::exists(dir / ".encryption_key"));
  CHECK(mode_of(dir / ".encryption_key") == 0600);
  std::string key = read_file(dir / ".encryption_key");
  while (!key.empty() && key.back() == '\n') key.pop_back();
  CHECK(log.find(key) == std::string::npos);
  CHECK(run_peer({"decrypt", key}, read_file(dir / "k.fernet")) == "v");

  StderrCapture capture;
  auto again = open_store(dir.path());
  CHECK(text(again->get("k").value()) == "v");
  CHECK(capture.text().find("generated") == std::string::npos);
  CHECK(again->list("") == std::vector<std::string>{"k"});  // the key file is not an entry
}

TEST_CASE("key_file relative to the store directory, or absolute") {
  TempDir dir, elsewhere;
  KeyEnv env(std::nullopt);
  open_store(dir / "a", R"("key_file":"../shared.key")")->put("k", bytes("v"));
  CHECK(fs::exists(dir / "shared.key"));
  open_store(dir / "b", R"("key_file":")" + (elsewhere / "abs.key").string() + "\"")->put("k", bytes("v"));
  CHECK(fs::exists(elsewhere / "abs.key"));
}

TEST_CASE("a malformed key fails at start-up with CONFIG, naming its source but never the key") {
  TempDir dir;
  SECTION("in the variable") {
    const std::string secretish = "c2VjcmV0LWJ1dC1ub3QtYS1rZXk=";
    KeyEnv env(new_key() + "," + secretish);
    Failure failure = failure_of([&] { open_store(dir.path()); });
    CHECK(failure.status == MCPAUTH_ERR_CONFIG);
    CHECK_THAT(failure.message, Contains(std::string("environment variable ") + kKeyEnv) && Contains("#2"));
    CHECK(failure.message.find(secretish) == std::string::npos);
  }
  SECTION("in the key file") {
    KeyEnv env(std::nullopt);
    write_file(dir / ".encryption_key", "not-a-fernet-key-at-all\n");
    fs::permissions(dir / ".encryption_key", fs::perms::owner_read | fs::perms::owner_write);
    Failure failure = failure_of([&] { open_store(dir.path()); });
    CHECK(failure.status == MCPAUTH_ERR_CONFIG);
    CHECK_THAT(failure.message, Contains("key file " + (dir / ".encryption_key").string()));
    CHECK(failure.message.find("not-a-fernet-key-at-all") == std::string::npos);
  }
}

TEST_CASE("an entry under another key fails alone and is left untouched") {
  TempDir dir;
  const std::string ours = new_key(), theirs = new_key();
  KeyEnv env(ours);
  auto store = open_store(dir.path());
  store->put("a", bytes("alpha"));
  store->put("b", bytes("beta"));
  write_file(dir / "foreign%2Ekey.fernet", run_peer({"encrypt", theirs}, "theirs"));
  const auto before = snapshot(dir.path());

  Failure failure = failure_of([&] { store->get("foreign.key"); });
  CHECK(failure.status == MCPAUTH_ERR_CRYPTO);
  CHECK_THAT(failure.message, Contains("cannot decrypt \"foreign.key\": wrong key or corrupted data"));
  CHECK(failure_of([&] { store->metadata("foreign.key"); }).status == MCPAUTH_ERR_CRYPTO);
  CHECK(text(store->get("a").value()) == "alpha");
  CHECK(text(store->get("b").value()) == "beta");
  CHECK(store->list("").size() == 3);
  CHECK(snapshot(dir.path()) == before);

  // A whole store opened with the wrong key: every read fails, nothing is reset or destroyed.
  KeyEnv wrong(theirs);
  auto wrong_store = open_store(dir.path());
  CHECK(failure_of([&] { wrong_store->get("a"); }).status == MCPAUTH_ERR_CRYPTO);
  wrong_store->put("c", bytes("gamma"));
  auto after = snapshot(dir.path());
  after.erase("c.fernet");
  CHECK(after == before);
}

TEST_CASE("a tampered entry fails alone and is left untouched") {
  TempDir dir;
  KeyEnv env(new_key());
  auto store = open_store(dir.path());
  store->put("good", bytes("fine"));
  store->put("bad", bytes("to be tampered with"));
  std::string token = read_file(dir / "bad.fernet");
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  write_file(dir / "bad.fernet", token);
  write_file(dir / "truncated.fernet", token.substr(0, 20));
  const auto before = snapshot(dir.path());

  for (const char* key : {"bad", "truncated"}) {
    Failure failure = failure_of([&] { store->get(key); });
    CHECK(failure.status == MCPAUTH_ERR_CRYPTO);
    CHECK_THAT(failure.message, Contains("cannot decrypt \"" + std::string(key) + "\""));
  }
  CHECK(text(store->get("good").value()) == "fine");
  CHECK(snapshot(dir.path()) == before);
}
