// Text from a server on the user's terminal: kept readable (UTF-8 stays), but never able to steer
// the terminal (control characters, including the C1 ones such as CSI, are shown as \xNN).
#pragma once

#include <string>
#include <string_view>

namespace mcpauth::cli {

std::string terminal_safe(std::string_view text);

}  // namespace mcpauth::cli
