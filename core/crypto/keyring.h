#pragma once
// The Fernet keys of one encrypted store. In order:
//   1. the environment variable (e.g. OAUTH_STORAGE_ENCRYPTION_KEY): one key, or several
//      separated by commas for rotation (the first encrypts, any decrypts);
//   2. else the key file (".encryption_key" in the store's directory), created on first use
//      with mode 0600, with a warning that production should set the variable.
// A malformed key is an error at once (at start-up, not at first use). Errors and warnings
// name the variable or the file, never the key.

#include "crypto/fernet.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mcpauth::crypto {

class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct KeySource {
  std::string env_name;            // e.g. "OAUTH_STORAGE_ENCRYPTION_KEY"
  std::filesystem::path key_file;  // used when the variable is unset or empty
  bool strict = false;             // refuse a key file readable by group or others (else warn)
};

struct StoreKeys {
  MultiFernet keys;
  std::string origin;                 // "environment variable X" or "key file P"
  std::vector<std::string> warnings;  // for the caller to log
};

using GetEnv = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> process_env(const std::string& name);

// Throws KeyError.
StoreKeys load_store_keys(const KeySource& source, const GetEnv& getenv = process_env);

}  // namespace mcpauth::crypto
