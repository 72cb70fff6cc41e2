// The host's log: one line per event on stderr, with a level threshold. Every message passes
// through redact() first, so a secret that slips into a message is masked before it is written.
#pragma once

#include <string>
#include <string_view>

namespace mcpauth::core {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

void set_log_level(LogLevel level);
LogLevel log_level();
// Parses "debug", "info", "warn", "error"; throws std::invalid_argument otherwise.
LogLevel parse_log_level(std::string_view name);

// component: who is speaking, e.g. "host", "plugin oauth21 [server github]".
void log(LogLevel level, std::string_view component, std::string_view message);

}  // namespace mcpauth::core
