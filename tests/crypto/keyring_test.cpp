// Where a store's keys come from: the environment first, else a key file made on first use.
#include "crypto/keyring.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace mcpauth::crypto;

namespace {

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("mcpauth-keyring-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

GetEnv env_of(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

}  // namespace

TEST_CASE("keys from the environment variable, with rotation") {
  FernetKey old_key = FernetKey::generate(), new_key = FernetKey::generate();
  fs::path dir = fresh_dir("env");
  KeySource source{"OAUTH_STORAGE_ENCRYPTION_KEY", dir / ".encryption_key"};
  StoreKeys keys =
      load_store_keys(source, env_of({{"OAUTH_STORAGE_ENCRYPTION_KEY", new_key.encoded() + ", " + old_key.encoded()}}));
  CHECK(keys.origin == "environment variable OAUTH_STORAGE_ENCRYPTION_KEY");
  CHECK(keys.warnings.empty());
  CHECK_FALSE(fs::exists(source.key_file));  // the file is only a fallback
  // The first key encrypts; the old one still decrypts.
  CHECK(fernet_decrypt(new_key, keys.keys.encrypt(bytes("x"))) == bytes("x"));
  CHECK(keys.keys.decrypt(fernet_encrypt(old_key, bytes("old"))) == bytes("old"));
  fs::remove_all(dir);
}

TEST_CASE("a malformed key is refused at once, naming the variable but not the key") {
  fs::path dir = fresh_dir("bad");
  std::string secretish = "not-a-key-but-maybe-a-secret-value-000000000";
  KeySource source{"JWT_STORAGE_ENCRYPTION_KEY", dir / ".encryption_key"};
  try {
    load_store_keys(source,
                    env_of({{"JWT_STORAGE_ENCRYPTION_KEY", FernetKey::generate().encoded() + "," + secretish}}));
    FAIL("expected KeyError");
  } catch (const KeyError& e) {
    std::string message = e.what();
    CHECK_THAT(message, Catch::Contains("environment variable JWT_STORAGE_ENCRYPTION_KEY") && Catch::Contains("#2"));
    CHECK(message.find(secretish) == std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("without the variable a key file is generated once, 0600, with a warning") {
  fs::path dir = fresh_dir("file");
  KeySource source{"OAUTH_STORAGE_ENCRYPTION_KEY", dir / ".encryption_key"};
  StoreKeys first = load_store_keys(source, env_of({{"OAUTH_STORAGE_ENCRYPTION_KEY", ""}}));
  REQUIRE(first.warnings.size() == 1);
  CHECK_THAT(first.warnings[0],
             Catch::Contains("generated a new encryption key") && Catch::Contains("set OAUTH_STORAGE_ENCRYPTION_KEY"));
  CHECK(first.origin == "key file " + source.key_file.string());
  struct stat info {};
  REQUIRE(::stat(source.key_file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  // A second start reads the same key and does not warn again.
  StoreKeys second = load_store_keys(source, env_of({}));
  CHECK(second.warnings.empty());
  CHECK(second.keys.decrypt(first.keys.encrypt(bytes("same key"))) == bytes("same key"));
  // No temporary files are left next to it.
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("a key file readable by others is a warning, or an error in strict mode") {
  fs::path dir = fresh_dir("perm");
  fs::path file = dir / ".encryption_key";
  std::ofstream(file) << FernetKey::generate().encoded() << "\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  StoreKeys keys = load_store_keys({"K", file}, env_of({}));
  REQUIRE(keys.warnings.size() == 1);
  CHECK_THAT(keys.warnings[0], Catch::Contains("chmod 600"));
  CHECK_THROWS_WITH(load_store_keys({"K", file, true}, env_of({})), Catch::Contains("readable or writable by group"));
  fs::remove_all(dir);
}

TEST_CASE("a corrupt key file is an error naming the file") {
  fs::path dir = fresh_dir("corrupt");
  fs::path file = dir / ".encryption_key";
  std::ofstream(file) << "garbage\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  CHECK_THROWS_WITH(load_store_keys({"K", file}, env_of({})), Catch::Contains("key file " + file.string()));
  CHECK_THROWS_WITH(load_store_keys({"K", dir / "missing-dir" / ".encryption_key"}, env_of({})),
                    Catch::Contains("cannot create key file"));
  fs::remove_all(dir);
}
