// JSON-RPC 2.0 messages as MCP uses them: parsing with bounds, telling the kinds apart, and the
// protocol versions this client accepts.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::mcp {

// The largest JSON-RPC message (or batch) accepted from a server.
constexpr std::size_t kMaxMessageBytes = 4 << 20;

// What this client asks for in initialize.
constexpr const char* kProtocolVersion = "2025-11-25";
// The oldest version it accepts in the server's answer: the first with Streamable HTTP.
constexpr const char* kOldestProtocolVersion = "2025-03-26";

// A message that is not a JSON-RPC message: the text says what is wrong, never quoting more than
// a short, printable piece of it.
class MessageFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One message: a JSON object of at most kMaxMessageBytes (nesting bounded too), key order kept.
Poco::JSON::Object::Ptr parse_message(std::string_view json);
// A JSON body: one message, or a batch (an array of messages).
std::vector<Poco::JSON::Object::Ptr> parse_messages(std::string_view json);
// Compact, on one line: what goes on the wire (and what `mcpauth proxy` writes to stdout).
std::string to_json(const Poco::JSON::Object::Ptr& message);

enum class MessageKind { request, notification, response, invalid };
// request: method and id; notification: method, no id; response: id and result or error.
MessageKind kind_of(const Poco::JSON::Object& message);

// A response (result or error) to the request whose id is request_id: a string id equals only the
// same string, a number only the same number.
bool is_response_to(const Poco::JSON::Object& message, const Poco::Dynamic::Var& request_id);

// A protocol version this client can speak: a YYYY-MM-DD date from kOldestProtocolVersion on
// (later versions are kept compatible by the specification's rules).
bool is_accepted_protocol_version(std::string_view version);

}  // namespace mcpauth::mcp
