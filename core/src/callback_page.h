// The small HTML pages the loopback callback server shows in the user's browser.
#pragma once

#include <string>
#include <string_view>

namespace mcpauth::core {

// text with & < > " ' replaced by character references.
std::string html_escape(std::string_view text);

// A complete page with a heading and one paragraph, both escaped here.
std::string render_callback_page(std::string_view heading, std::string_view message);

}  // namespace mcpauth::core
