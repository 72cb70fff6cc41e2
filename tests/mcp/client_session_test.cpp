// The session's own logic over a scripted transport (no network): version negotiation, matching
// responses to requests, answering the server's requests, re-initializing an expired session.
// Against real servers it runs in tests/e2e/mcp_client.test.mjs (and mcp_session_probe).
#include "mcpauth/mcp/client_session.h"
#include "mcpauth/mcp/jsonrpc.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace mcpauth::mcp;
using Poco::JSON::Object;

namespace {

// Answers each posted message with what `answer` returns (JSON texts), like one POST whose
// answer carries them. Records every posted message.
class ScriptedTransport : public Transport {
 public:
  std::string server_version = "2025-11-25";
  std::function<std::vector<std::string>(const Object& posted)> answer = [](const Object&) {
    return std::vector<std::string>{};
  };
  int expire_requests = 0;  // the next n non-initialize requests throw SessionExpired
  std::vector<Object::Ptr> posted;
  int closes = 0;

  void post(const std::string& message_json, const MessageSink& on_message) override {
    const Object::Ptr message = parse_message(message_json);
    posted.push_back(message);
    const std::string method = message->optValue<std::string>("method", "");
    if (kind_of(*message) != MessageKind::request) return;
    if (method == "initialize") {
      on_message(parse_message(R"({"jsonrpc":"2.0","id":)" + message->get("id").toString() +
                               R"(,"result":{"protocolVersion":")" + server_version +
                               R"(","capabilities":{},"serverInfo":{"name":"s","version":"1"}}})"));
      return;
    }
    if (expire_requests > 0) {
      --expire_requests;
      throw SessionExpired("session gone", 404);
    }
    for (const std::string& text : answer(*message)) on_message(parse_message(text));
  }
  bool listen(const MessageSink&) override { return false; }
  bool answers_through_listen() const override { return false; }
  void close() override { ++closes; }

  std::vector<std::string> methods() const {
    std::vector<std::string> out;
    for (const auto& message : posted) out.push_back(message->optValue<std::string>("method", "(answer)"));
    return out;
  }
};

std::string id_of(const Object& message) { return message.get("id").toString(); }

std::string result_for(const Object& request, const std::string& result) {
  return R"({"jsonrpc":"2.0","id":)" + id_of(request) + R"(,"result":)" + result + "}";
}

}  // namespace

TEST_CASE("initialize asks for 2025-11-25, then says initialized") {
  ScriptedTransport transport;
  ClientSession session(transport, "1.2.3");
  const Object::Ptr result = session.initialize();
  CHECK(result->getObject("serverInfo")->getValue<std::string>("name") == "s");
  CHECK(session.protocol_version() == "2025-11-25");
  CHECK(transport.methods() == std::vector<std::string>{"initialize", "notifications/initialized"});
  const Object::Ptr params = transport.posted[0]->getObject("params");
  CHECK(params->getValue<std::string>("protocolVersion") == "2025-11-25");
  CHECK(params->getObject("clientInfo")->getValue<std::string>("name") == "mcpauth");
  CHECK(params->getObject("clientInfo")->getValue<std::string>("version") == "1.2.3");
  CHECK_FALSE(transport.posted[1]->has("id"));  // a notification
}

TEST_CASE("an older or a newer version the server chose") {
  ScriptedTransport transport;
  SECTION("2025-03-26 is spoken") {
    transport.server_version = "2025-03-26";
    ClientSession session(transport, "1");
    session.initialize();
    CHECK(session.protocol_version() == "2025-03-26");
  }
  SECTION("2024-11-05 is refused, naming both versions, and nothing more is sent") {
    transport.server_version = "2024-11-05";
    ClientSession session(transport, "1");
    CHECK_THROWS_WITH(session.initialize(), Catch::Contains("2024-11-05") && Catch::Contains("2025-11-25"));
    CHECK(transport.methods() == std::vector<std::string>{"initialize"});
  }
}

TEST_CASE("the response is found among the server's own messages") {
  ScriptedTransport transport;
  std::vector<std::string> notifications;
  ClientSession session(transport, "1",
                        [&](const Object::Ptr& n) { notifications.push_back(n->getValue<std::string>("method")); });
  session.initialize();
  transport.answer = [](const Object& request) {
    if (request.optValue<std::string>("method", "") != "tools/list") return std::vector<std::string>{};
    return std::vector<std::string>{
        R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}})",
        R"({"jsonrpc":"2.0","id":"s1","method":"ping"})",
        R"({"jsonrpc":"2.0","id":7,"method":"sampling/createMessage","params":{}})",
        R"({"jsonrpc":"2.0","id":999,"result":{"not":"ours"}})",
        result_for(request, R"({"tools":[]})"),
    };
  };
  const Object::Ptr result = session.request("tools/list");
  CHECK(result->getArray("tools")->size() == 0);
  CHECK(notifications == std::vector<std::string>{"notifications/message"});

  // The ping got an empty result, the sampling request "method not found", with their own ids.
  REQUIRE(transport.posted.size() == 5);
  const Object::Ptr pong = transport.posted[3];
  CHECK(pong->get("id").toString() == "s1");
  CHECK(pong->getObject("result")->size() == 0);
  const Object::Ptr refusal = transport.posted[4];
  CHECK(refusal->get("id").convert<int>() == 7);
  CHECK(refusal->getObject("error")->getValue<int>("code") == -32601);
}

TEST_CASE("errors and missing answers") {
  ScriptedTransport transport;
  ClientSession session(transport, "1");
  CHECK_THROWS_AS(session.request("tools/list"), std::logic_error);  // before initialize
  session.initialize();

  transport.answer = [](const Object& request) {
    return std::vector<std::string>{R"({"jsonrpc":"2.0","id":)" + id_of(request) +
                                    R"(,"error":{"code":-32601,"message":"Method not found"}})"};
  };
  try {
    session.request("no/such");
    FAIL("no exception");
  } catch (const JsonRpcError& e) {
    CHECK(e.code() == -32601);
    CHECK(std::string(e.what()) == "Method not found");
  }

  transport.answer = [](const Object&) { return std::vector<std::string>{}; };
  CHECK_THROWS_WITH(session.request("tools/call"), Catch::Contains("without a response"));

  transport.answer = [](const Object& request) { return std::vector<std::string>{result_for(request, "[1]")}; };
  CHECK_THROWS_AS(session.request("tools/list"), ProtocolError);
}

TEST_CASE("an expired session is initialized again, and the request sent once more") {
  ScriptedTransport transport;
  ClientSession session(transport, "1");
  session.initialize();
  transport.answer = [](const Object& request) { return std::vector<std::string>{result_for(request, "{}")}; };

  transport.expire_requests = 1;
  session.request("tools/list");
  CHECK(transport.methods() == std::vector<std::string>{"initialize", "notifications/initialized", "tools/list",
                                                        "initialize", "notifications/initialized", "tools/list"});

  transport.expire_requests = 2;  // still gone after a new initialize: no endless loop
  CHECK_THROWS_AS(session.request("tools/list"), SessionExpired);
}

TEST_CASE("close ends the transport's session once") {
  ScriptedTransport transport;
  {
    ClientSession session(transport, "1");
    session.initialize();
    session.close();
    CHECK_THROWS_WITH(session.request("tools/list"), Catch::Contains("closed"));
  }
  CHECK(transport.closes == 1);
}
