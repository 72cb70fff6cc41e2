#include "callback_page.h"

namespace mcpauth::core {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_callback_page(std::string_view heading, std::string_view message) {
  const std::string title = html_escape(heading);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mcpauth: " + title +
         "</title>\n<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em}</style>"
         "</head>\n<body><h1>" +
         title + "</h1>\n<p>" + html_escape(message) + "</p></body></html>\n";
}

}  // namespace mcpauth::core
