// `mcpauth call`: one JSON-RPC request to an MCP server, its result as JSON on stdout.
#include "commands.h"
#include "mcp_connection.h"
#include "terminal_text.h"

#include "mcpauth/mcp/jsonrpc.h"

#include <iostream>

namespace mcpauth::cli {
namespace {

Poco::JSON::Object::Ptr params_of(const std::string& text) {
  try {
    return mcp::parse_message(text);
  } catch (const mcp::MessageFormatError&) {
    throw UsageError("PARAMS_JSON must be a JSON object, such as '{\"name\": \"echo\"}'");
  }
}

// The text of a tool result's content, for the error line of a failed tool.
std::string text_of(const Poco::JSON::Object& result) {
  std::string text;
  if (const Poco::JSON::Array::Ptr content = result.getArray("content"))
    for (const Poco::Dynamic::Var& item : *content)
      if (item.type() == typeid(Poco::JSON::Object::Ptr)) {
        const Poco::JSON::Object::Ptr part = item.extract<Poco::JSON::Object::Ptr>();
        if (part->optValue<std::string>("type", "") == "text") text += part->optValue<std::string>("text", "");
      }
  return text;
}

bool is_tool_error(const std::string& method, const Poco::JSON::Object& result) {
  return method == "tools/call" && result.has("isError") && result.get("isError").isBoolean() &&
         result.getValue<bool>("isError");
}

}  // namespace

int run_call(const Invocation& invocation) {
  const McpCommandLine line = split_mcp_command_line(invocation);
  if (line.arguments.empty() || line.arguments.size() > 2)
    throw UsageError("'call' takes METHOD and optionally PARAMS_JSON after the server");
  const std::string& method = line.arguments[0];
  const Poco::JSON::Object::Ptr params = line.arguments.size() == 2 ? params_of(line.arguments[1]) : nullptr;

  McpConnection connection(line.target);
  Poco::JSON::Object::Ptr result;
  try {
    result = connection.request(method, params);
  } catch (const mcp::JsonRpcError& e) {
    std::cerr << "mcpauth: '" << connection.server_name() << "' answered " << method << " with error " << e.code()
              << ": " << terminal_safe(e.what()) << "\n";
    return 1;
  }
  result->stringify(std::cout, 2);
  std::cout << std::endl;
  if (!is_tool_error(method, *result)) return 0;
  std::cerr << "mcpauth: the tool reported an error: " << terminal_safe(text_of(*result)) << "\n";
  return 1;
}

}  // namespace mcpauth::cli
