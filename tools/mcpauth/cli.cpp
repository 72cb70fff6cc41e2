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
  config schema [PLUGIN]
                   Every field of the per-server config of the loaded plugins (or of
                   one), from their JSON Schemas: type, default, limits, meaning, as
                   Markdown (config/PLUGINS.md is this). --json: the schemas as they
                   are. Without --plugin-dir the configuration must load.
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
  login SERVER [--no-browser] [--callback-port N] [--timeout SECONDS]
                   Sign in to a configured server: opens your browser ($BROWSER, else
                   xdg-open) on the sign-in page and waits for it to come back to
                   http://127.0.0.1:PORT/callback. The port is --callback-port, else
                   the auth config's callback_port, else the one of the last sign-in,
                   else any free one. The wait is --timeout, else callback_timeout_s,
                   else 300 s. callback_host "localhost" replaces 127.0.0.1 in the
                   address given to the server.
                   --no-browser: only print the URL; open it in any browser, then
                   paste the address the browser ends up on (starting with
                   http://127.0.0.1:PORT/callback) into the terminal.
                   Servers with "grant": "client_credentials" get a token without
                   any browser.
  login --url URL [--scopes "a b"] [--client-id ID] [--client-metadata-url URL]
        [--grant client_credentials] [--private-key FILE] [--callback-port N]
                   Sign in to a server that is not in the configuration, with the
                   oauth21 plugin and the default token store. Put a client secret
                   in MCPAUTH_CLIENT_SECRET rather than --client-secret S: other
                   users of the machine can read command lines.
  logout SERVER    Forget the stored credentials (revoked where the server allows).
  logout --url URL The same for a server signed in to with login --url.
  status [SERVER]  Each enabled server's (or one server's) sign-in state: signed in
                   or not, expiry and time left, scopes, whether a refresh token is
                   held. Never shows a token. Exit code 1 when a server cannot be
                   set up (its line says why; the others are still shown).
  status --url URL The same for a server signed in to with login --url.
  token SERVER [--user U]
                   Print a valid access token for the server (refreshed first when it
                   is due), for scripts:
                     t=$(mcpauth token github) && curl -H "Authorization: Bearer $t" ...
                   --user: the token of that user of 'mcpauth serve' (their own, else
                   the server-level one) instead of the one of 'mcpauth login'.
                   Exit code 1, with the command to sign in, when there is none.
  token --url URL  The same for a server signed in to with login --url.
  call SERVER METHOD [PARAMS_JSON]
                   Send one JSON-RPC request to the MCP server (after initialize) and
                   print its result as JSON, e.g.
                     mcpauth call github tools/call '{"name": "echo",
                                                       "arguments": {"text": "hi"}}'
                   The server's log messages go to stderr as they arrive. Exit code
                   1 when the server answers with an error, or a tools/call result
                   has "isError": true (the result is printed first). When there is
                   no valid token, it signs in first as login does (the sign-in URL
                   goes to stderr; --no-browser, --callback-port and --timeout as
                   for login).
  call --url URL METHOD [PARAMS_JSON]
                   The same for a server that is not in the configuration, with the
                   options of login --url.
  tools SERVER     List the server's tools (every page of tools/list): name and the
                   first line of the description. --json: the tools as JSON. Signs in
                   when needed, as call does.
  tools --url URL  The same for a server that is not in the configuration.
  proxy SERVER     Be a stdio MCP server for a desktop client that only starts local
  proxy --url URL  servers: each line of stdin (one JSON-RPC message) goes to the
                   remote server with your credentials, each message of the server
                   goes to stdout as one line. Signs in when needed, as call does
                   (the URL goes to stderr). When the server forgets the session, a
                   new one is opened with the client's own initialize request. In a
                   client's configuration: "command": "mcpauth",
                   "args": ["proxy", "SERVER"]. Ends when stdin ends, or on
                   SIGTERM or SIGINT (ending the session at the server first).
  serve [--listen HOST:PORT]
                   Run the HTTP API for the enabled servers until SIGINT or SIGTERM:
                   admin JWT upload, per-user tokens, browser OAuth sign-in, /healthz
                   and /metrics. Users are identified by the reverse proxy's header
                   (X-User-Email). --listen replaces the listen setting (port 0: any
                   free port). Settings: see config/README.md.

Options:
  --config FILE      Read only this configuration file (.json, .yaml or .yml).
                     Default: <config-dir>/defaults/mcp.* with
                     <config-dir>/overrides/mcp.* merged over it.
  --config-dir DIR   The configuration directory (default: ./config).
  --plugin-dir DIR   Look for plugins here instead of the configured or default
                     directories (repeatable).
  --strict           Unknown configuration keys are errors, not warnings.
  --json             Machine-readable output (plugins, config, status, tools).
  --log-level LEVEL  debug, info, warn or error (default: info; warn for token).
  -h, --help         Show this help.
  --version          Show the version and the plugin ABI version.

Environment:
  BROWSER                The program that opens sign-in pages (default: xdg-open).
  MCPAUTH_CLIENT_SECRET  The client secret for login --url.
  OAUTH_STORAGE_ENCRYPTION_KEY, JWT_STORAGE_ENCRYPTION_KEY
                         Fernet keys of the token stores (see keygen).

Exit codes: 0 success, 1 failure (the message says what and where), 2 usage error.
)";

namespace {
  int64_t integer_in_range(const std::string& option, const std::string& text, int64_t min, int64_t max) {
    const std::string problem =
        "option " + option + " needs a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
      throw UsageError(problem);
    int64_t value = std::stoll(text);
    if (value < min || value > max) throw UsageError(problem);
    return value;
  }

  std::string grant_name(std::string text) {
    if (text != "client_credentials" && text != "authorization_code")
      throw UsageError("option --grant takes client_credentials or authorization_code");
    return text;
  }

}  // namespace

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
    else if (arg == "--no-browser")
      invocation.login.no_browser = true;
    else if (arg == "--callback-port")
      invocation.login.callback_port = static_cast<uint16_t>(integer_in_range(arg, value_of(i, arg), 1, 65535));
    else if (arg == "--timeout")
      invocation.login.timeout = std::chrono::seconds(integer_in_range(arg, value_of(i, arg), 1, 86400));
    else if (arg == "--url")
      invocation.adhoc.url = value_of(i, arg);
    else if (arg == "--scopes")
      invocation.adhoc.scopes = value_of(i, arg);
    else if (arg == "--client-id")
      invocation.adhoc.client_id = value_of(i, arg);
    else if (arg == "--client-secret")
      invocation.adhoc.client_secret = value_of(i, arg);
    else if (arg == "--client-metadata-url")
      invocation.adhoc.client_metadata_url = value_of(i, arg);
    else if (arg == "--grant")
      invocation.adhoc.grant = grant_name(value_of(i, arg));
    else if (arg == "--private-key")
      invocation.adhoc.private_key_file = value_of(i, arg);
    else if (arg == "--listen")
      invocation.listen = value_of(i, arg);
    else if (arg == "--user")
      invocation.user = value_of(i, arg);
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
