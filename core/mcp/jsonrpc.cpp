#include "mcpauth/mcp/jsonrpc.h"

#include "mcpauth/config/printable.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <sstream>

namespace mcpauth::mcp {
namespace {

// Deep enough for any tool's input schema; shallow enough that recursion over it is safe.
constexpr std::size_t kMaxNesting = 128;

Poco::Dynamic::Var parse_json(std::string_view json) {
  if (json.size() > kMaxMessageBytes)
    throw MessageFormatError("a JSON-RPC message of " + std::to_string(json.size()) + " bytes (the limit is " +
                             std::to_string(kMaxMessageBytes) + ")");
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  parser.setDepth(kMaxNesting);
  try {
    return parser.parse(std::string(json));
  } catch (const Poco::Exception& e) {
    throw MessageFormatError("not valid JSON (" + config::printable(e.displayText(), 120) +
                             "): " + config::printable(json, 80));
  }
}

Poco::JSON::Object::Ptr object_of(const Poco::Dynamic::Var& value, std::string_view json) {
  if (value.type() != typeid(Poco::JSON::Object::Ptr))
    throw MessageFormatError("a JSON-RPC message must be a JSON object: " + config::printable(json, 80));
  return value.extract<Poco::JSON::Object::Ptr>();
}

bool is_id(const Poco::Dynamic::Var& id) { return id.isString() || id.isInteger() || id.isNumeric(); }

}  // namespace

Poco::JSON::Object::Ptr parse_message(std::string_view json) { return object_of(parse_json(json), json); }

std::vector<Poco::JSON::Object::Ptr> parse_messages(std::string_view json) {
  Poco::Dynamic::Var value = parse_json(json);
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) return {object_of(value, json)};
  std::vector<Poco::JSON::Object::Ptr> messages;
  for (const Poco::Dynamic::Var& element : *value.extract<Poco::JSON::Array::Ptr>())
    messages.push_back(object_of(element, json));
  return messages;
}

std::string to_json(const Poco::JSON::Object::Ptr& message) {
  std::ostringstream out;
  message->stringify(out);
  return out.str();
}

MessageKind kind_of(const Poco::JSON::Object& message) {
  const bool has_id = message.has("id");
  if (message.has("method")) {
    if (!message.get("method").isString()) return MessageKind::invalid;
    if (!has_id) return MessageKind::notification;
    return is_id(message.get("id")) ? MessageKind::request : MessageKind::invalid;
  }
  // A response to a request the server could not read has a null id.
  if (has_id && message.has("result") != message.has("error")) return MessageKind::response;
  return MessageKind::invalid;
}

bool is_response_to(const Poco::JSON::Object& message, const Poco::Dynamic::Var& request_id) {
  if (kind_of(message) != MessageKind::response) return false;
  const Poco::Dynamic::Var id = message.get("id");
  if (id.isString() || request_id.isString())
    return id.isString() && request_id.isString() && id.toString() == request_id.toString();
  const auto is_number = [](const Poco::Dynamic::Var& v) { return v.isNumeric() && !v.isBoolean(); };
  return is_number(id) && is_number(request_id) && id.convert<double>() == request_id.convert<double>();
}

bool is_accepted_protocol_version(std::string_view version) {
  if (version.size() != 10 || version[4] != '-' || version[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(version[i]))) return false;
  return version >= kOldestProtocolVersion;
}

}  // namespace mcpauth::mcp
