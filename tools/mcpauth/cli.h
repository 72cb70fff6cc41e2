// Command-line parsing shared by every subcommand.
#pragma once

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
  std::string log_level = "info";          // --log-level LEVEL
};

struct Invocation {
  GlobalOptions options;
  std::optional<std::string> server;  // --server NAME (storage commands)
  std::string prefix;                 // --prefix P (storage list)
  std::vector<std::string> words;     // subcommand and its positional arguments
  bool help = false;
  bool version = false;
};

// Throws UsageError for unknown options or missing option values.
Invocation parse(int argc, char** argv);

extern const char* const kUsage;

}  // namespace mcpauth::cli
