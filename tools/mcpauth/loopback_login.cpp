#include "loopback_login.h"

#include "mcpauth/core/browser.h"
#include "mcpauth/core/log.h"
#include "mcpauth/core/loopback_callback.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/core/server_store.h"

#include <iostream>

namespace mcpauth::cli {
namespace {

// Host-owned entry in the server's store. Reusing the port keeps the redirect URI the plugin
// registered with the authorization server valid, so it need not register again.
const std::string kCallbackPortKey = "host/callback_port";

std::optional<uint16_t> remembered_port(const core::ServerStore& store) {
  std::optional<core::Bytes> stored = store.get(kCallbackPortKey);
  if (!stored) return std::nullopt;
  const std::string text(stored->begin(), stored->end());
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int port = std::stoi(text);
  if (port < 1 || port > 65535) return std::nullopt;
  return static_cast<uint16_t>(port);
}

void remember_port(const core::ServerStore& store, uint16_t port) {
  const std::string text = std::to_string(port);
  try {
    store.put(kCallbackPortKey, core::Bytes(text.begin(), text.end()));
  } catch (const core::PluginError& e) {  // the sign-in itself worked; only the next one may differ
    core::log(core::LogLevel::warn, "login", std::string("cannot remember the callback port: ") + e.what());
  }
}

// The chosen port must be free; the remembered one is only a preference.
std::unique_ptr<core::LoopbackCallbackServer> open_callback_server(const core::ServerStore& store,
                                                                   std::optional<uint16_t> chosen) {
  if (chosen) {
    try {
      return std::make_unique<core::LoopbackCallbackServer>(*chosen);
    } catch (const core::CallbackPortInUse& e) {
      throw std::runtime_error(std::string(e.what()) + " (free it, or choose another port with --callback-port)");
    }
  }
  if (std::optional<uint16_t> last = remembered_port(store)) {
    try {
      return std::make_unique<core::LoopbackCallbackServer>(*last);
    } catch (const core::CallbackPortInUse&) {
      core::log(core::LogLevel::warn, "login",
                "port " + std::to_string(*last) +
                    " of the last sign-in is in use; taking a free one (the plugin may have to register again)");
    }
  }
  return std::make_unique<core::LoopbackCallbackServer>(0);
}

void show_url(const std::string& server, const std::string& url, bool no_browser, std::ostream& url_out) {
  if (no_browser) {
    std::cerr << "Open this URL in a browser to sign in to '" << server << "':\n";
  } else {
    std::cerr << "Opening your browser to sign in to '" << server << "'…\n"
              << "If it does not open, visit this URL:\n";
  }
  url_out << url << std::endl;  // flushed: whoever reads it may be waiting for it
  if (no_browser) return;
  try {
    core::open_in_browser(url);
  } catch (const std::exception& e) {
    core::log(core::LogLevel::warn, "login", std::string(e.what()) + "; open the URL above yourself");
  }
}

void show_waiting(const std::string& redirect_uri, std::chrono::seconds timeout, bool no_browser) {
  if (no_browser)
    std::cerr << "Then paste here the address the browser ends up on (it starts with " << redirect_uri
              << "), or let the browser reach this machine.\n";
  std::cerr << "Waiting for the browser (up to " << timeout.count() << " s)…" << std::endl;
}

// begin_authorization, with a plugin that has no interactive sign-in (manual_jwt) explained: its
// refusal of credentials says what to do instead ("an admin must upload one ...").
core::AuthInstance::Authorization begin_sign_in(const core::AuthInstance& auth, const std::string& redirect_uri) {
  try {
    return auth.begin_authorization("", redirect_uri, MCPAUTH_FLOW_LOOPBACK, "");
  } catch (const core::PluginError& e) {
    if (e.status() != MCPAUTH_ERR_UNSUPPORTED) throw;
    std::string instead;
    try {
      auth.get_credentials("");
    } catch (const core::PluginError& refusal) {
      instead = std::string(": ") + refusal.what();
    }
    throw core::PluginError(MCPAUTH_ERR_UNSUPPORTED, "server '" + auth.server_name() +
                                                         "' has no interactive sign-in (auth plugin " +
                                                         auth.library().id() + ")" + instead);
  }
}

}  // namespace

void loopback_login(core::ServerBinding& binding, const LoginSettings& settings, bool no_browser,
                    std::ostream& url_out) {
  const core::ServerStore store(binding.storage(), binding.name());
  std::unique_ptr<core::LoopbackCallbackServer> callback = open_callback_server(store, settings.callback_port);
  const std::string redirect_uri = callback->redirect_uri(settings.callback_host);
  const core::AuthInstance& auth = binding.auth();
  const core::AuthInstance::Authorization authorization = begin_sign_in(auth, redirect_uri);

  show_url(binding.name(), authorization.url, no_browser, url_out);
  show_waiting(redirect_uri, settings.timeout, no_browser);
  // std::cin is not ours to delete: the reader only borrows it.
  std::shared_ptr<std::istream> paste_input =
      no_browser ? std::shared_ptr<std::istream>(&std::cin, [](std::istream*) {}) : nullptr;
  callback->wait(
      authorization.state,
      [&](const std::string& query) {
        auth.complete_authorization("", authorization.pending, query);
        return "You are signed in to '" + binding.name() + "'. You can close this tab and return to the terminal.";
      },
      settings.timeout, paste_input);
  remember_port(store, callback->port());
}

}  // namespace mcpauth::cli
