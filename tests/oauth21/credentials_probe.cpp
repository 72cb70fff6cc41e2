// oauth21_credentials_probe: asks one server's auth plugin for credentials from N threads at
// once, so end-to-end tests can run several probes against one store and check that the plugin
// refreshes single-flight (within a process and across processes).
//
//   oauth21_credentials_probe --config FILE --plugin-dir DIR --server NAME --threads N [--user U]
//       [--challenge STATUS WWW_AUTHENTICATE]... [--begin REDIRECT_URI]
//
// Before the threads run, each --challenge is handed to on_challenge (the answer a server gave),
// and --begin starts an authorization: so a test can check what a 401 or a 403
// insufficient_scope leads to (the actions and the authorization URL are printed too, as
// "challenge_actions" and "authorization_url"). --threads 0 makes only those calls.
//
// --plugin-dir may be repeated; the configuration's plugin_dirs are not used.
// Prints one JSON line {"ok": count, "errors": [messages], "distinct_credentials": number of
// distinct Authorization values} (never a credential itself). Exit code 0 when every call
// succeeded, 1 when any failed, 2 for a usage error.
#include <strings.h>

#include "mcpauth/config/config.h"
#include "mcpauth/core/plugin_registry.h"
#include "mcpauth/core/server_binding.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <latch>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

using namespace mcpauth;

struct ProbeOptions {
  std::string config_file, server, user;
  std::vector<std::filesystem::path> plugin_dirs;
  int threads = -1;
  std::vector<std::pair<int, std::string>> challenges;
  std::string begin_redirect_uri;
};

ProbeOptions parse(int argc, char** argv) {
  ProbeOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("option " + arg + " needs a value");
    const std::string value = argv[++i];
    if (arg == "--challenge") {
      if (i + 1 >= argc) throw std::invalid_argument("--challenge needs STATUS and WWW_AUTHENTICATE");
      options.challenges.emplace_back(std::atoi(value.c_str()), argv[++i]);
    } else if (arg == "--begin")
      options.begin_redirect_uri = value;
    else if (arg == "--config")
      options.config_file = value;
    else if (arg == "--plugin-dir")
      options.plugin_dirs.push_back(value);
    else if (arg == "--server")
      options.server = value;
    else if (arg == "--user")
      options.user = value;
    else if (arg == "--threads")
      options.threads = value.find_first_not_of("0123456789") == std::string::npos && value.size() < 5
                            ? std::atoi(value.c_str())
                            : 0;  // not a number: refused below
    else
      throw std::invalid_argument("unknown option " + arg);
  }
  if (options.config_file.empty() || options.plugin_dirs.empty() || options.server.empty() || options.threads < 0)
    throw std::invalid_argument(
        "usage: oauth21_credentials_probe --config FILE --plugin-dir DIR --server NAME --threads N [--user U] "
        "[--challenge STATUS WWW_AUTHENTICATE]... [--begin REDIRECT_URI]");
  return options;
}

std::optional<std::string> authorization_of(const core::HeaderList& headers) {
  for (const auto& [name, value] : headers)
    if (strcasecmp(name.c_str(), "Authorization") == 0) return value;
  return std::nullopt;
}

struct Tally {
  std::mutex mutex;
  int ok = 0;
  std::vector<std::string> errors;
  std::set<std::string> credentials;  // compared only, never printed
};

void probe(const core::AuthInstance& auth, const std::string& user, std::latch& start, Tally& tally) {
  start.arrive_and_wait();  // every thread calls at the same moment, to race the refreshes
  try {
    core::HeaderList headers = auth.get_credentials(user);
    std::optional<std::string> authorization = authorization_of(headers);
    std::lock_guard lock(tally.mutex);
    ++tally.ok;
    if (authorization) tally.credentials.insert(*authorization);
  } catch (const std::exception& e) {  // PluginError messages are secret-free by contract
    std::lock_guard lock(tally.mutex);
    tally.errors.push_back(e.what());
  }
}

// "authorize", "retry", "fail", or "error: <message>" for each challenge, in order.
Poco::JSON::Array challenge_actions(const core::AuthInstance& auth, const ProbeOptions& options) {
  Poco::JSON::Array actions;
  for (const auto& [status, header] : options.challenges) {
    try {
      int32_t action = auth.on_challenge(options.user, status, header);
      actions.add(action == MCPAUTH_CHALLENGE_AUTHORIZE ? "authorize"
                  : action == MCPAUTH_CHALLENGE_RETRY   ? "retry"
                                                        : "fail");
    } catch (const std::exception& e) {
      actions.add(std::string("error: ") + e.what());
    }
  }
  return actions;
}

}  // namespace

int main(int argc, char** argv) {
  ProbeOptions options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "oauth21_credentials_probe: " << e.what() << "\n";
    return 2;
  }
  try {
    config::LoadOptions load;
    load.config_file = options.config_file;
    const config::Config loaded = config::load_config(load);
    core::PluginRegistry registry;
    registry.scan(options.plugin_dirs);
    const config::ServerConfig* server = config::server_named(loaded, options.server);
    if (server == nullptr) throw std::runtime_error("no server named '" + options.server + "' in the configuration");
    core::ServerBinding binding(registry, *server);

    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!options.challenges.empty()) out.set("challenge_actions", challenge_actions(binding.auth(), options));
    if (!options.begin_redirect_uri.empty())
      out.set(
          "authorization_url",
          binding.auth().begin_authorization(options.user, options.begin_redirect_uri, MCPAUTH_FLOW_LOOPBACK, "").url);

    Tally tally;
    std::latch start(options.threads);
    std::vector<std::thread> threads;
    for (int i = 0; i < options.threads; ++i)
      threads.emplace_back(probe, std::cref(binding.auth()), std::cref(options.user), std::ref(start), std::ref(tally));
    for (auto& thread : threads) thread.join();

    Poco::JSON::Array errors;
    for (const auto& message : tally.errors) errors.add(message);
    out.set("ok", tally.ok);
    out.set("errors", errors);
    out.set("distinct_credentials", static_cast<int>(tally.credentials.size()));
    out.stringify(std::cout);
    std::cout << std::endl;
    return tally.errors.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "oauth21_credentials_probe: " << e.what() << "\n";
    return 1;
  }
}
