// JSON-RPC messages and batches from MCP servers and stdio clients (core/mcp/jsonrpc.cpp): the
// only failure is MessageFormatError, and a message written out parses back to the same text.
#include "mcpauth/mcp/jsonrpc.h"

#include <cstdlib>

using namespace mcpauth::mcp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    for (const Poco::JSON::Object::Ptr& message : parse_messages({reinterpret_cast<const char*>(data), size})) {
      kind_of(*message);
      if (Poco::JSON::Object::Ptr result = message->getObject("result"); result && result->has("protocolVersion"))
        is_accepted_protocol_version(result->get("protocolVersion").toString());
      const std::string text = to_json(message);
      if (to_json(parse_message(text)) != text) std::abort();
    }
  } catch (const MessageFormatError&) {
  }
  return 0;
}
