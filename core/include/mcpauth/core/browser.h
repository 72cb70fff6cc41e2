#pragma once

#include <string>

namespace mcpauth::core {

// Starts $BROWSER (else xdg-open) with url as its single argument, never through a shell, and
// does not wait for it. Throws std::runtime_error when the program cannot be started.
void open_in_browser(const std::string& url);

}  // namespace mcpauth::core
