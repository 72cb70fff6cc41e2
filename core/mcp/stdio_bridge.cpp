#include "mcpauth/mcp/stdio_bridge.h"

#include "mcpauth/core/log.h"
#include "mcpauth/mcp/jsonrpc.h"

#include <algorithm>
#include <chrono>

namespace mcpauth::mcp {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kParseError = -32700;
constexpr int64_t kInvalidRequest = -32600;
constexpr int64_t kServerUnavailable = -32000;  // JSON-RPC's range for implementation errors

// The ids of the bridge's own initialize requests: their answers are not the client's business.
constexpr std::string_view kOwnIdPrefix = "mcpauth-proxy-initialize-";

// Waits before opening the server's stream again after it failed, doubling up to the longest.
constexpr auto kFirstRetry = 1s;
constexpr auto kLongestRetry = 30s;
// A stream the server ended normally is opened again after this pause.
constexpr auto kReopenPause = 250ms;

bool is_own_answer(const Poco::JSON::Object& message) {
  if (kind_of(message) != MessageKind::response) return false;
  const Poco::Dynamic::Var id = message.get("id");
  return id.isString() && id.toString().starts_with(kOwnIdPrefix);
}

// One line of at most kMaxMessageBytes; a longer one is skipped to its end and reported.
bool read_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  char c;
  while (in.get(c)) {
    if (c == '\n') return true;
    if (line.size() < kMaxMessageBytes)
      line += c;
    else
      too_long = true;
  }
  return !line.empty() || too_long;
}

}  // namespace

StdioBridge::StdioBridge(Transport& transport, std::ostream& out)
    : transport_(transport), out_(out), sink_([this](const Poco::JSON::Object::Ptr& message) {
        if (!is_own_answer(*message)) write(message);
      }) {}

StdioBridge::~StdioBridge() {
  stop();
  transport_.close();
  if (listener_.joinable()) listener_.join();
}

void StdioBridge::run(std::istream& in) {
  if (transport_.answers_through_listen()) start_listening();
  std::string line;
  bool too_long = false;
  while (read_line(in, line, too_long)) {
    {
      std::lock_guard lock(state_mutex_);
      if (stopping_) break;
    }
    if (too_long)
      write_error({}, kParseError, "a message longer than " + std::to_string(kMaxMessageBytes) + " bytes");
    else
      forward_line(line);
    collect_finished_requests(false);
  }
  collect_finished_requests(true);
  stop();
  transport_.close();
  if (listener_.joinable()) listener_.join();
}

void StdioBridge::stop() {
  {
    std::lock_guard lock(state_mutex_);
    stopping_ = true;
  }
  state_changed_.notify_all();
}

void StdioBridge::forward_line(const std::string& line) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return;
  std::vector<Poco::JSON::Object::Ptr> messages;
  try {
    messages = parse_messages(line);
  } catch (const MessageFormatError& e) {
    write_error({}, kParseError, e.what());
    return;
  }
  for (const Poco::JSON::Object::Ptr& message : messages) forward(message);
}

void StdioBridge::forward(const Poco::JSON::Object::Ptr& message) {
  const MessageKind kind = kind_of(*message);
  const Poco::Dynamic::Var id = message->has("id") ? message->get("id") : Poco::Dynamic::Var();
  if (kind == MessageKind::invalid) {
    write_error(id, kInvalidRequest, "not a JSON-RPC request, notification or response");
    return;
  }
  const std::string json = to_json(message);
  if (kind == MessageKind::request && message->getValue<std::string>("method") == "initialize") {
    {
      std::lock_guard lock(state_mutex_);
      client_initialize_ = json;
    }
    post_or_answer_error(json, id, true);
    start_listening();  // the server's own stream belongs to the session initialize opened
  } else if (kind == MessageKind::request) {
    requests_.push_back(std::async(std::launch::async, [this, json, id] { post_or_answer_error(json, id, true); }));
  } else {
    post_or_answer_error(json, id, false);
  }
}

void StdioBridge::post_or_answer_error(const std::string& json, const Poco::Dynamic::Var& id, bool is_request) {
  try {
    int generation;
    {
      std::lock_guard lock(state_mutex_);
      generation = generation_;
    }
    try {
      transport_.post(json, sink_);
    } catch (const SessionExpired&) {
      initialize_again(generation);
      transport_.post(json, sink_);
    }
  } catch (const std::exception& e) {
    if (is_request)
      write_error(id, kServerUnavailable, std::string("mcpauth proxy: ") + e.what());
    else
      core::log(core::LogLevel::warn, "proxy", std::string("could not pass a message on to the server: ") + e.what());
  }
}

// The server forgot the session: a new one, opened with the client's own initialize request, so
// the client notices nothing. One thread does it; the others find the generation moved on.
void StdioBridge::initialize_again(int generation_seen) {
  std::unique_lock lock(state_mutex_);
  if (generation_ != generation_seen || !client_initialize_) return;
  Poco::JSON::Object::Ptr initialize = parse_message(*client_initialize_);
  initialize->set("id", std::string(kOwnIdPrefix) + std::to_string(++own_requests_));
  core::log(core::LogLevel::info, "proxy", "the server ended the session; opening a new one");
  transport_.post(to_json(initialize), sink_);
  transport_.post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", sink_);
  ++generation_;
  lock.unlock();
  state_changed_.notify_all();
}

void StdioBridge::start_listening() {
  if (!listener_.joinable()) listener_ = std::thread(&StdioBridge::listen_loop, this);
}

void StdioBridge::listen_loop() {
  auto retry_in = std::chrono::duration_cast<std::chrono::milliseconds>(kFirstRetry);
  bool reopening = false;
  std::unique_lock lock(state_mutex_);
  while (!stopping_) {
    const int generation = generation_;
    lock.unlock();
    std::optional<bool> streamed;  // empty: it failed
    try {
      streamed = listen_once(reopening);
      retry_in = kFirstRetry;
    } catch (const std::exception& e) {
      core::log(core::LogLevel::warn, "proxy",
                std::string("the server's event stream failed: ") + e.what() + "; trying again in " +
                    std::to_string(retry_in.count()) + " ms");
    }
    reopening = true;
    lock.lock();
    if (!streamed) {
      state_changed_.wait_for(lock, retry_in, [this] { return stopping_; });
      retry_in = std::min<std::chrono::milliseconds>(retry_in * 2, kLongestRetry);
    } else if (*streamed) {
      state_changed_.wait_for(lock, kReopenPause, [this] { return stopping_; });
    } else {  // no stream for this session: perhaps for the next one
      state_changed_.wait(lock, [&] { return stopping_ || generation_ != generation; });
    }
  }
}

// For the legacy transport, the stream is the session: a stream opened again is a new session at
// the server, which is initialized (with the client's request) once the stream names its endpoint.
bool StdioBridge::listen_once(bool reopening) {
  if (!reopening || !transport_.answers_through_listen()) return transport_.listen(sink_);
  int generation;
  {
    std::lock_guard lock(state_mutex_);
    generation = generation_;
  }
  auto initializing = std::async(std::launch::async, [this, generation] {
    try {
      initialize_again(generation);
    } catch (const std::exception& e) {
      core::log(core::LogLevel::warn, "proxy", std::string("could not open a new session: ") + e.what());
    }
  });
  const bool streamed = transport_.listen(sink_);
  initializing.wait();
  return streamed;
}

void StdioBridge::write(const Poco::JSON::Object::Ptr& message) {
  const std::string line = to_json(message) + "\n";
  std::lock_guard lock(out_mutex_);
  out_ << line << std::flush;
}

void StdioBridge::write_error(const Poco::Dynamic::Var& id, int64_t code, const std::string& text) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  error->set("code", code);
  error->set("message", text);
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  message->set("jsonrpc", "2.0");
  message->set("id", id);
  message->set("error", error);
  write(message);
}

void StdioBridge::collect_finished_requests(bool wait_for_all) {
  std::erase_if(requests_, [wait_for_all](std::future<void>& request) {
    if (wait_for_all) request.wait();
    return request.wait_for(0s) == std::future_status::ready;
  });
}

}  // namespace mcpauth::mcp
