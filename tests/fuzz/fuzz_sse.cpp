// Server-sent event streams (core/mcp/sse_parser.cpp) fed in chunks split at places the input
// picks: the events (and the last event id) must be the same as when the whole stream comes at
// once. The first 8 bytes choose the chunk lengths; a small event limit makes the limit reachable.
#include "mcpauth/mcp/sse_parser.h"

#include <cstdlib>
#include <vector>

using namespace mcpauth::mcp;

namespace {

constexpr std::size_t kMaxEventBytes = 4096;

struct Outcome {
  std::vector<SseEvent> events;
  std::string last_id;
  bool too_large = false;
};

bool same(const SseEvent& a, const SseEvent& b) {
  return a.type == b.type && a.data == b.data && a.id == b.id && a.retry_ms == b.retry_ms;
}

// Chunk i is 1 + (byte i % 8 of `lengths`) % 64 bytes long.
std::vector<std::string_view> chunks_of(std::string_view stream, const uint8_t lengths[8]) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; !stream.empty(); ++i) {
    std::string_view chunk = stream.substr(0, 1 + lengths[i % 8] % 64);
    chunks.push_back(chunk);
    stream.remove_prefix(chunk.size());
  }
  return chunks;
}

Outcome parse(const std::vector<std::string_view>& chunks) {
  Outcome outcome;
  SseParser parser([&](const SseEvent& event) { outcome.events.push_back(event); }, kMaxEventBytes);
  try {
    for (std::string_view chunk : chunks) parser.feed(chunk);
  } catch (const SseTooLarge&) {
    outcome.too_large = true;
  }
  outcome.last_id = parser.last_event_id();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 8, size - 8);
  const Outcome whole = parse({stream});
  const Outcome chunked = parse(chunks_of(stream, data));
  if (whole.too_large != chunked.too_large || whole.last_id != chunked.last_id ||
      whole.events.size() != chunked.events.size())
    std::abort();
  for (std::size_t i = 0; i < whole.events.size(); ++i)
    if (!same(whole.events[i], chunked.events[i])) std::abort();
  return 0;
}
