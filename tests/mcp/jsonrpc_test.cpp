// JSON-RPC message handling: parsing with bounds, kinds, and the protocol versions accepted.
#include "mcpauth/mcp/jsonrpc.h"

#include <catch2/catch.hpp>

#include <string>

using namespace mcpauth::mcp;

namespace {

MessageKind kind(const std::string& json) { return kind_of(*parse_message(json)); }

}  // namespace

TEST_CASE("message kinds") {
  CHECK(kind(R"({"jsonrpc":"2.0","id":1,"method":"ping"})") == MessageKind::request);
  CHECK(kind(R"({"jsonrpc":"2.0","id":"a-7","method":"sampling/createMessage","params":{}})") == MessageKind::request);
  CHECK(kind(R"({"jsonrpc":"2.0","method":"notifications/message","params":{}})") == MessageKind::notification);
  CHECK(kind(R"({"jsonrpc":"2.0","id":1,"result":{}})") == MessageKind::response);
  CHECK(kind(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})") ==
        MessageKind::response);
  CHECK(kind(R"({"jsonrpc":"2.0","id":1,"result":{},"error":{}})") == MessageKind::invalid);
  CHECK(kind(R"({"jsonrpc":"2.0","id":1})") == MessageKind::invalid);
  CHECK(kind(R"({"jsonrpc":"2.0","id":{},"method":"x"})") == MessageKind::invalid);
  CHECK(kind(R"({"jsonrpc":"2.0","method":7})") == MessageKind::invalid);
}

TEST_CASE("a response answers the request with an equal id: strings only strings, numbers by value") {
  const auto answers = [](const std::string& json, const Poco::Dynamic::Var& id) {
    return is_response_to(*parse_message(json), id);
  };
  CHECK(answers(R"({"jsonrpc":"2.0","id":1,"result":{}})", 1));
  CHECK(answers(R"({"jsonrpc":"2.0","id":1.0,"error":{"code":1,"message":"m"}})", 1));
  CHECK(answers(R"({"jsonrpc":"2.0","id":"a-7","result":{}})", std::string("a-7")));
  CHECK_FALSE(answers(R"({"jsonrpc":"2.0","id":"1","result":{}})", 1));
  CHECK_FALSE(answers(R"({"jsonrpc":"2.0","id":1,"result":{}})", std::string("1")));
  CHECK_FALSE(answers(R"({"jsonrpc":"2.0","id":true,"result":{}})", 1));
  CHECK_FALSE(answers(R"({"jsonrpc":"2.0","id":2,"result":{}})", 1));
  CHECK_FALSE(answers(R"({"jsonrpc":"2.0","id":1,"method":"ping"})", 1));
  CHECK_FALSE(answers(R"({"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"m"}})", 1));
}

TEST_CASE("protocol versions from 2025-03-26 on are accepted") {
  for (const char* version : {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", "2031-01-01"})
    CHECK(is_accepted_protocol_version(version));
  for (const char* version : {"2024-11-05", "2025-03-25", "", "2025-3-26", "2025-06-18 ", "latest", "2025/06/18"})
    CHECK_FALSE(is_accepted_protocol_version(version));
  CHECK(is_accepted_protocol_version(kProtocolVersion));
}

TEST_CASE("what is not a message is refused with a short, printable reason") {
  CHECK_THROWS_AS(parse_message("[1,2]"), MessageFormatError);
  CHECK_THROWS_AS(parse_message("\"text\""), MessageFormatError);
  CHECK_THROWS_AS(parse_message("{\"id\":"), MessageFormatError);
  try {
    parse_message(std::string("{\"a\":\x01") + std::string(1000, 'x'));
    FAIL("no exception");
  } catch (const MessageFormatError& e) {
    const std::string what = e.what();
    CHECK(what.size() < 400);
    CHECK(what.find('\x01') == std::string::npos);
  }
}

TEST_CASE("bounds: size and nesting") {
  const std::string padding(kMaxMessageBytes, ' ');
  CHECK_THROWS_WITH(parse_message("{}" + padding), Catch::Contains("the limit is"));
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "{\"a\":";
  deep += "1" + std::string(1000, '}');
  CHECK_THROWS_AS(parse_message(deep), MessageFormatError);
  std::string fine;
  for (int i = 0; i < 50; ++i) fine += "{\"a\":";
  fine += "1" + std::string(50, '}');
  CHECK(parse_message(fine)->has("a"));
}

TEST_CASE("a batch body gives each message; key order is kept on the way out") {
  const auto messages = parse_messages(R"([{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","id":2,"result":{}}])");
  REQUIRE(messages.size() == 2);
  CHECK(kind_of(*messages[0]) == MessageKind::notification);
  CHECK(kind_of(*messages[1]) == MessageKind::response);
  CHECK(parse_messages(R"({"jsonrpc":"2.0","method":"a"})").size() == 1);
  CHECK_THROWS_AS(parse_messages("[1]"), MessageFormatError);
  CHECK(to_json(parse_message(R"({"z":1,"jsonrpc":"2.0","a":[true,null]})")) ==
        R"({"z":1,"jsonrpc":"2.0","a":[true,null]})");
}
