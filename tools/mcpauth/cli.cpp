#include "cli.h"

namespace mcpauth::cli {

const char* const kUsage = R"(mcpauth - authenticate MCP clients to MCP servers

Usage:
  mcpauth [options] <command> [arguments]

Commands:
  plugins          List the loaded plugins (id, kind, version, ABI, path) and the
                   libraries that were refused, with the reason.
  config check     Validate the configuration and show each server's auth and
                   storage plugin. Exit code 1 when anything is wrong.
  keygen           Print a new Fernet encryption key (for OAUTH_STORAGE_ENCRYPTION_KEY
                   or JWT_STORAGE_ENCRYPTION_KEY).
  storage list --server S [--prefix P]
                   List the entries of a server's store: keys and metadata only.
  storage get-meta --server S KEY
                   Show one entry's metadata (size, timestamps), never its value.
  storage delete --server S KEY
                   Delete one entry.
  storage rotate --server S
                   Re-encrypt every entry under the current (first) key. Put the new
                   key first in the variable, keep the old ones after it, stop every
                   mcpauth process that writes to this store, run this, then drop
                   the old keys.

Options:
  --config FILE      Read only this configuration file (.json, .yaml or .yml).
                     Default: <config-dir>/defaults/mcp.* with
                     <config-dir>/overrides/mcp.* merged over it.
  --config-dir DIR   The configuration directory (default: ./config).
  --plugin-dir DIR   Look for plugins here instead of the configured or default
                     directories (repeatable).
  --strict           Unknown configuration keys are errors, not warnings.
  --json             Machine-readable output (plugins, config check).
  --log-level LEVEL  debug, info, warn or error (default: info).
  -h, --help         Show this help.
  --version          Show the version and the plugin ABI version.

Exit codes: 0 success, 1 failure (the message says what and where), 2 usage error.
)";

Invocation parse(int argc, char** argv) {
  Invocation invocation;
  auto value_of = [&](int& i, const std::string& name) {
    if (i + 1 >= argc) throw UsageError("option " + name + " needs a value");
    return std::string(argv[++i]);
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help")
      invocation.help = true;
    else if (arg == "--version")
      invocation.version = true;
    else if (arg == "--config")
      invocation.options.config_file = value_of(i, arg);
    else if (arg == "--config-dir")
      invocation.options.config_dir = value_of(i, arg);
    else if (arg == "--plugin-dir")
      invocation.options.plugin_dirs.push_back(value_of(i, arg));
    else if (arg == "--log-level")
      invocation.options.log_level = value_of(i, arg);
    else if (arg == "--server")
      invocation.server = value_of(i, arg);
    else if (arg == "--prefix")
      invocation.prefix = value_of(i, arg);
    else if (arg == "--strict")
      invocation.options.strict = true;
    else if (arg == "--json")
      invocation.options.json = true;
    else if (arg.starts_with("-"))
      throw UsageError("unknown option " + arg);
    else
      invocation.words.push_back(arg);
  }
  return invocation;
}

}  // namespace mcpauth::cli
