// One line about a user's sign-in state, from an auth plugin's status JSON (secret-free by
// contract; only the fields below are shown anyway).
#pragma once

#include "mcpauth/core/instances.h"

#include <chrono>
#include <string>

namespace mcpauth::cli {

// From the fields present: auth_required false ("no sign-in needed"), authenticated ("signed in"
// / "not signed in"), expires_at (Unix seconds: ISO time and time left), scopes (a list or a
// space-separated string), has_refresh_token. E.g.
// "signed in, expires 2025-06-01T12:00:00Z (in 59m), scopes: read write, refresh token: yes".
std::string summarize_status(const std::string& status_json, std::chrono::system_clock::time_point now);

// summarize_status of the default user's status now, or why it is not available.
std::string status_line(const core::AuthInstance& auth);

}  // namespace mcpauth::cli
