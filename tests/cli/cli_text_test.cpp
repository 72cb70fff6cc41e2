// Text the CLI puts on a terminal: server text made harmless (terminal_safe) and plain tables.
#include <catch2/catch.hpp>

#include "terminal_text.h"
#include "text_table.h"

#include <sstream>
#include <string>

using mcpauth::cli::print_text_table;
using mcpauth::cli::terminal_safe;

TEST_CASE("terminal_safe keeps printable ASCII and well-formed UTF-8") {
  CHECK(terminal_safe("Search files: *.md, 100%") == "Search files: *.md, 100%");
  const std::string utf8 = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91 \xc2\xa0";  // é € key, no-break space
  CHECK(terminal_safe(utf8) == utf8);
  CHECK(terminal_safe("") == "");
}

TEST_CASE("terminal_safe escapes C0 controls and DEL, newlines included") {
  CHECK(terminal_safe("a\x1b[31mred") == "a\\x1b[31mred");
  CHECK(terminal_safe("line\nnext\r\t") == "line\\x0anext\\x0d\\x09");
  CHECK(terminal_safe(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(terminal_safe("\x7f") == "\\x7f");
}

TEST_CASE("terminal_safe escapes C1 controls, in UTF-8 and as lone bytes") {
  CHECK(terminal_safe("\xc2\x9b"
                      "31m") == "\\xc2\\x9b31m");  // U+009B, CSI
  CHECK(terminal_safe("\xc2\x80") == "\\xc2\\x80");
  CHECK(terminal_safe("\x9b"
                      "31m") == "\\x9b31m");  // a lone CSI byte, as 8-bit terminals read it
}

TEST_CASE("terminal_safe escapes bytes that are no well-formed UTF-8") {
  CHECK(terminal_safe("\xc3") == "\\xc3");                          // cut short
  CHECK(terminal_safe("\xc3x") == "\\xc3x");                        // no continuation byte
  CHECK(terminal_safe("\xc0\xaf") == "\\xc0\\xaf");                 // overlong '/'
  CHECK(terminal_safe("\xe0\x80\xaf") == "\\xe0\\x80\\xaf");        // overlong, three bytes
  CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");        // a surrogate
  CHECK(terminal_safe("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  CHECK(terminal_safe("\xff\xfe") == "\\xff\\xfe");
}

TEST_CASE("print_text_table sizes each column to its widest cell") {
  std::ostringstream out;
  print_text_table(out, {"SERVER", "AUTH", "STATUS"},
                   {{"a", "oauth21", "ok"}, {"a-much-longer-server-name", "an_auth_plugin_with_a_long_id", "x"}});
  CHECK(out.str() ==
        "SERVER                     AUTH                           STATUS\n"
        "a                          oauth21                        ok\n"
        "a-much-longer-server-name  an_auth_plugin_with_a_long_id  x\n");
}

TEST_CASE("print_text_table prints the headings alone when there are no rows") {
  std::ostringstream out;
  print_text_table(out, {"ID", "PATH"}, {});
  CHECK(out.str() == "ID  PATH\n");
}
