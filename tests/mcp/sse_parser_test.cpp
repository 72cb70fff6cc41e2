// The event-stream parser against the WHATWG rules, fed whole and in every possible split.
#include "mcpauth/mcp/sse_parser.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using mcpauth::mcp::SseEvent;
using mcpauth::mcp::SseParser;
using mcpauth::mcp::SseTooLarge;

namespace {

std::vector<SseEvent> parse_in_chunks(const std::string& stream, std::size_t chunk) {
  std::vector<SseEvent> events;
  SseParser parser([&](const SseEvent& event) { events.push_back(event); });
  for (std::size_t at = 0; at < stream.size(); at += chunk) parser.feed(std::string_view(stream).substr(at, chunk));
  return events;
}

// The same events whatever the chunking: byte by byte, in twos and threes, and whole.
std::vector<SseEvent> parse(const std::string& stream) {
  std::vector<SseEvent> whole = parse_in_chunks(stream, stream.size() + 1);
  for (std::size_t chunk : {1, 2, 3, 7}) {
    std::vector<SseEvent> split = parse_in_chunks(stream, chunk);
    REQUIRE(split.size() == whole.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
      CHECK(split[i].type == whole[i].type);
      CHECK(split[i].data == whole[i].data);
      CHECK(split[i].id == whole[i].id);
    }
  }
  return whole;
}

}  // namespace

TEST_CASE("an MCP answer as one message event") {
  auto events = parse("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "message");
  CHECK(events[0].data == R"({"jsonrpc":"2.0","id":1,"result":{}})");
}

TEST_CASE("multi-line data, comments, ids and every line ending") {
  auto events = parse(": keep-alive\r\nid: 7\r\ndata: first\r\ndata:second\r\rdata: x\n\nevent: ping\ndata\n\n");
  REQUIRE(events.size() == 3);
  CHECK(events[0].data == "first\nsecond");
  CHECK(events[0].id == "7");
  CHECK(events[1].data == "x");
  CHECK(events[1].id == "7");  // the last id carries over
  CHECK(events[2].type == "ping");
  CHECK(events[2].data.empty());  // "data" without a colon is a data line with no value
}

TEST_CASE("what the standard ignores or drops") {
  auto events = parse(
      "\xEF\xBB\xBF"
      "data: after a BOM\n\nevent: lonely\n\nfoo: bar\ndata:  two spaces\nretry: x\n\n");
  REQUIRE(events.size() == 2);  // the "lonely" event has no data: not dispatched
  CHECK(events[0].data == "after a BOM");
  CHECK(events[1].data == " two spaces");  // only one leading space is part of the syntax
  CHECK(events[1].type == "message");      // the type of a dropped event does not carry over
  CHECK_FALSE(events[1].retry_ms);
}

TEST_CASE("an event is only complete at its blank line") {
  std::vector<SseEvent> events;
  SseParser parser([&](const SseEvent& event) { events.push_back(event); });
  parser.feed("data: half");
  parser.feed("\n");
  CHECK(events.empty());
  parser.feed("\r");
  CHECK(events.size() == 1);
  parser.feed("\n");  // the "\n" of a "\r\n" split across chunks is not a second blank line
  parser.feed("id: 9\ndata: next\n\n");
  REQUIRE(events.size() == 2);
  CHECK(parser.last_event_id() == "9");
}

TEST_CASE("an event past the size limit stops the stream") {
  SseParser parser([](const SseEvent&) {}, 16);
  CHECK_THROWS_AS(parser.feed("data: 0123456789\ndata: 0123456789\n"), SseTooLarge);
  SseParser line_limit([](const SseEvent&) {}, 16);
  CHECK_THROWS_AS(line_limit.feed(std::string(17, 'a')), SseTooLarge);
}
