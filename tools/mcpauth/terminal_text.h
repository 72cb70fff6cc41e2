// Text from a server on the user's terminal: kept readable (well-formed UTF-8 stays), but never
// able to steer the terminal: control characters (C0, DEL, and C1 such as CSI, in UTF-8 or as a
// lone byte) and bytes that are no well-formed UTF-8 are shown as \xNN.
#pragma once

#include <string>
#include <string_view>

namespace mcpauth::cli {

std::string terminal_safe(std::string_view text);

}  // namespace mcpauth::cli
