#include "http_answers.h"

#include "mcpauth/config/printable.h"
#include "mcpauth/core/plugin_error.h"
#include "mcpauth/mcp/jsonrpc.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace mcpauth::mcp::detail {
namespace {

// Enough of an error body to find its message.
constexpr uint64_t kMaxErrorBodyBytes = 64 * 1024;

std::string string_member(const Poco::JSON::Object& object, const std::string& name) {
  return object.has(name) && object.get(name).isString() ? object.getValue<std::string>(name) : "";
}

// JSON-RPC ({"error": {"message": ...}}), OAuth ({"error": "...", "error_description": ...}), or
// short plain text.
std::string explanation_in(const std::string& body) {
  if (body.empty()) return "";
  try {
    const Poco::JSON::Object::Ptr object = parse_message(body);
    if (Poco::JSON::Object::Ptr error = object->getObject("error")) return string_member(*error, "message");
    const std::string error = string_member(*object, "error");
    const std::string description = string_member(*object, "error_description");
    return description.empty() ? error : error + ": " + description;
  } catch (const MessageFormatError&) {
    return body.size() <= 200 ? body : "";
  }
}

}  // namespace

std::string host_of(const std::string& url) {
  try {
    const Poco::URI uri(url);
    const unsigned short port = uri.getSpecifiedPort();
    return uri.getHost() + (port == 0 ? "" : ":" + std::to_string(port));
  } catch (const Poco::Exception&) {
    return "(invalid URL)";
  }
}

std::string media_type_of(const UpstreamResponse& response) {
  std::string type = response.header("Content-Type").value_or("");
  type = type.substr(0, type.find(';'));
  return Poco::toLower(Poco::trim(type));
}

void read_events(UpstreamResponse& response, const std::string& host, const SseParser::Sink& on_event) {
  SseParser parser(on_event, kMaxMessageBytes);
  std::string chunk;
  try {
    while (response.read(chunk)) parser.feed(chunk);
  } catch (const SseTooLarge& e) {
    throw TransportError("MCP server " + host + " sent " + e.what());
  }
}

void read_messages(UpstreamResponse& response, const std::string& host, const MessageSink& on_message) {
  const std::string type = media_type_of(response);
  if (type == "text/event-stream") return read_message_events(response, host, on_message);
  const std::string body = response.read_all(kMaxMessageBytes);
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return;
  if (type != "application/json")
    throw TransportError("MCP server " + host + " answered a POST with Content-Type '" + type +
                         "', neither JSON nor an event stream");
  for (const Poco::JSON::Object::Ptr& message : messages_of(body, host)) on_message(message);
}

void read_message_events(UpstreamResponse& response, const std::string& host, const MessageSink& on_message) {
  read_events(response, host, [&](const SseEvent& event) {
    // An event without data (e.g. one that only sets an id for resuming) carries no message.
    if (event.type == "message" && !event.data.empty()) on_message(message_of(event.data, host));
  });
}

Poco::JSON::Object::Ptr message_of(std::string_view json, const std::string& host) {
  try {
    return parse_message(json);
  } catch (const MessageFormatError& e) {
    throw TransportError("MCP server " + host + " sent " + e.what());
  }
}

std::vector<Poco::JSON::Object::Ptr> messages_of(std::string_view json, const std::string& host) {
  try {
    return parse_messages(json);
  } catch (const MessageFormatError& e) {
    throw TransportError("MCP server " + host + " sent " + e.what());
  }
}

TransportError refusal(UpstreamResponse& response, const std::string& host, const std::string& request) {
  const int status = response.status();
  std::string body;
  try {
    body = response.read_all(kMaxErrorBodyBytes);
  } catch (const core::PluginError&) {  // only the status, then
  }
  std::string message = "MCP server " + host + " answered HTTP " + std::to_string(status) + " to " + request;
  if (status == 401 || status == 403) message += " (the credentials were refused)";
  const std::string explanation = explanation_in(body);
  if (!explanation.empty()) message += ": " + config::printable(explanation);
  return TransportError(message, status);
}

}  // namespace mcpauth::mcp::detail
