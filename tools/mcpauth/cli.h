// Command-line parsing shared by every subcommand.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mcpauth::cli {

// A usage mistake: printed with a hint to run --help; exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Options accepted before or after the subcommand.
struct GlobalOptions {
  std::optional<std::string> config_file;  // --config FILE
  std::string config_dir = "config";       // --config-dir DIR
  std::vector<std::string> plugin_dirs;    // --plugin-dir DIR (repeatable): replaces configured dirs
  bool strict = false;                     // --strict
  bool json = false;                       // --json (machine-readable output where offered)
  std::optional<std::string> log_level;    // --log-level LEVEL (default info; warn for token)
};

// login: how the browser flow runs. Unset values come from the server's auth config.
struct LoginOptions {
  bool no_browser = false;                      // --no-browser: print the URL, accept the pasted redirect
  std::optional<uint16_t> callback_port;        // --callback-port N (1-65535)
  std::optional<std::chrono::seconds> timeout;  // --timeout SECONDS
};

// login/logout/status --url: a server that is not in the configuration (see adhoc_server.h).
struct AdhocServerOptions {
  std::optional<std::string> url;                  // --url URL
  std::optional<std::string> scopes;               // --scopes "a b"
  std::optional<std::string> client_id;            // --client-id ID
  std::optional<std::string> client_secret;        // --client-secret S (else $MCPAUTH_CLIENT_SECRET)
  std::optional<std::string> client_metadata_url;  // --client-metadata-url URL
  std::optional<std::string> grant;                // --grant client_credentials|authorization_code
  std::optional<std::string> private_key_file;     // --private-key FILE

  // Whether any option that only makes sense with --url was given.
  bool has_client_options() const {
    return scopes || client_id || client_secret || client_metadata_url || grant || private_key_file;
  }
};

struct Invocation {
  GlobalOptions options;
  std::optional<std::string> server;  // --server NAME (storage commands)
  std::string prefix;                 // --prefix P (storage list)
  LoginOptions login;
  AdhocServerOptions adhoc;
  std::optional<std::string> listen;  // --listen HOST:PORT (serve)
  std::optional<std::string> user;    // --user U (token): a user of mcpauth serve
  std::vector<std::string> words;     // subcommand and its positional arguments
  bool help = false;
  bool version = false;
};

// Throws UsageError for unknown options or missing option values.
Invocation parse(int argc, char** argv);

extern const char* const kUsage;

}  // namespace mcpauth::cli
