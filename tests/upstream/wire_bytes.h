// Bytes of HTTP answers for ScriptedServer scripts, and a look into the requests it received.
#pragma once

#include <cstdio>
#include <string>

namespace mcpauth::test {

// One chunk of a chunked body.
inline std::string chunk(const std::string& data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx", data.size());
  return std::string(size) + "\r\n" + data + "\r\n";
}

// The end of a chunked body.
inline const std::string kLastChunk = "0\r\n\r\n";

// The head of an event-stream answer with a chunked body.
inline const std::string kSseHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

// Whether a request head has this header line exactly.
inline bool has_header_line(const std::string& head, const std::string& line) {
  return head.find("\r\n" + line + "\r\n") != std::string::npos || head.ends_with("\r\n" + line);
}

}  // namespace mcpauth::test
