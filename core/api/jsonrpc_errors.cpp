#include "jsonrpc_errors.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace mcpauth::api {

Poco::Dynamic::Var jsonrpc_request_id(const std::string& body) {
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return {};
    Poco::Dynamic::Var id = parsed.extract<Poco::JSON::Object::Ptr>()->get("id");
    // JSON-RPC ids are strings or numbers; anything else is not echoed back.
    return id.isString() || (id.isNumeric() && !id.isBoolean()) ? id : Poco::Dynamic::Var();
  } catch (const Poco::Exception&) {
    return {};
  }
}

std::string jsonrpc_error(const Poco::Dynamic::Var& id, int code, const std::string& message,
                          Poco::JSON::Object::Ptr data) {
  Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
  error.set("code", code);
  error.set("message", message);
  if (data) error.set("data", data);
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("jsonrpc", "2.0");
  body.set("id", id);
  body.set("error", error);
  std::ostringstream text;
  body.stringify(text);
  return text.str();
}

void send_jsonrpc_error(Exchange& exchange, int http_status, const Poco::Dynamic::Var& id, int code,
                        const std::string& message, Poco::JSON::Object::Ptr data) {
  exchange.send(http_status, "application/json", jsonrpc_error(id, code, message, data));
}

}  // namespace mcpauth::api
