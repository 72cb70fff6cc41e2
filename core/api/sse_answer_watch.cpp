#include "sse_answer_watch.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace mcpauth::api {
namespace {

// A JSON-RPC response (not a request or notification) whose id is `id`.
bool answers(const std::string& data, const Poco::Dynamic::Var& id) {
  // Notifications, most of a stream, are told without parsing them.
  if (data.find("\"result\"") == std::string::npos && data.find("\"error\"") == std::string::npos) return false;
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(data);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return false;
    Poco::JSON::Object::Ptr message = parsed.extract<Poco::JSON::Object::Ptr>();
    if (!message->has("result") && !message->has("error")) return false;
    const Poco::Dynamic::Var other = message->get("id");
    if (id.isString() || other.isString())
      return id.isString() && other.isString() && id.toString() == other.toString();
    return other.isNumeric() && !other.isBoolean() && other.convert<double>() == id.convert<double>();
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

SseAnswerWatch::SseAnswerWatch(Poco::Dynamic::Var request_id)
    : id_(std::move(request_id)), parser_([this](const mcp::SseEvent& event) {
        if (event.type == "message" && answers(event.data, id_)) answered_ = true;
      }) {}

void SseAnswerWatch::see(std::string_view bytes) {
  if (answered_ || lost_) return;
  try {
    parser_.feed(bytes);
  } catch (const mcp::SseTooLarge&) {
    lost_ = true;  // cannot tell: adding an answer could make a second one
  }
}

}  // namespace mcpauth::api
