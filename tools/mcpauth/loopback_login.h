// The interactive sign-in of `mcpauth login`: the auth plugin's authorization URL goes to the
// browser, whose redirect comes back to a callback server on 127.0.0.1 (or is pasted).
#pragma once

#include "login_settings.h"

#include "mcpauth/core/server_binding.h"

#include <iostream>
#include <ostream>

namespace mcpauth::cli {

// Returns once the plugin has completed the authorization; throws what went wrong (the plugin's
// PluginError, a timeout, a busy port). Progress goes to stderr, the URL to url_out (stdout for
// `login`; stderr for commands whose stdout is their result, such as `call`).
void loopback_login(core::ServerBinding& binding, const LoginSettings& settings, bool no_browser,
                    std::ostream& url_out = std::cout);

}  // namespace mcpauth::cli
