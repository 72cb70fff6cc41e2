#include "scripted_host.h"

#include <cstdlib>
#include <cstring>

namespace mcpauth::fuzz {
namespace {

ScriptedHost& self(mcpauth_host_context* ctx) { return *reinterpret_cast<ScriptedHost*>(ctx); }

char* copy_string(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

int32_t http_request(mcpauth_host_context* ctx, const mcpauth_http_request*, mcpauth_http_response* out,
                     mcpauth_error*) {
  sdk::HttpResponse answer = self(ctx).next_answer();
  out->status = answer.status;
  out->header_count = answer.headers.size();
  out->headers = static_cast<mcpauth_header*>(std::calloc(answer.headers.size() + 1, sizeof(mcpauth_header)));
  for (std::size_t i = 0; i < answer.headers.size(); ++i)
    out->headers[i] = {copy_string(answer.headers[i].first), copy_string(answer.headers[i].second)};
  out->body = reinterpret_cast<uint8_t*>(copy_string(answer.body));
  out->body_size = answer.body.size();
  out->final_url = nullptr;
  return MCPAUTH_OK;
}

void http_response_free(mcpauth_http_response* response) {
  for (uint64_t i = 0; i < response->header_count; ++i) {
    std::free(const_cast<char*>(response->headers[i].name));
    std::free(const_cast<char*>(response->headers[i].value));
  }
  std::free(response->headers);
  std::free(response->body);
}

int32_t unsupported(mcpauth_error* err) {
  sdk::write_error(err, "not available while fuzzing");
  return MCPAUTH_ERR_UNSUPPORTED;
}

const mcpauth_host_api kHostApi = {
    MCPAUTH_STRUCT_HOST_API,
    sizeof(mcpauth_host_api),
    MCPAUTH_ABI_MAJOR,
    MCPAUTH_ABI_MINOR,
    [](uint64_t size) { return std::malloc(size); },
    [](void* pointer) { std::free(pointer); },
    [](mcpauth_host_context*, int32_t, const char*) {},
    [] { return kNowMs; },
    [] { return kNowMs; },
    [](uint8_t* out, uint64_t size, mcpauth_error*) {
      std::memset(out, 0x5a, size);
      return MCPAUTH_OK;
    },
    http_request,
    http_response_free,
    [](mcpauth_host_context*, const char*, mcpauth_error* err) { return unsupported(err); },
    [](mcpauth_host_context*, uint64_t) { return MCPAUTH_OK; },
    [](mcpauth_host_context*, const char*, mcpauth_bytes*, mcpauth_error* err) { return unsupported(err); },
    [](mcpauth_host_context*, const char*, const uint8_t*, uint64_t, mcpauth_error* err) { return unsupported(err); },
    [](mcpauth_host_context*, const char*, mcpauth_error* err) { return unsupported(err); },
    [](mcpauth_host_context*, const char*, const mcpauth_key_sink*, mcpauth_error* err) { return unsupported(err); },
    [](mcpauth_host_context*, const char*, uint32_t, mcpauth_lock**, mcpauth_error* err) { return unsupported(err); },
    [](mcpauth_host_context*, mcpauth_lock*) {},
    [](mcpauth_host_context*, const char*) {},
};

bool starts_with_status(std::string_view answer) {
  return answer.size() >= 4 && answer[3] == '\n' &&
         std::all_of(answer.begin(), answer.begin() + 3, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<std::string_view> split_answers(std::string_view input) {
  std::vector<std::string_view> answers;
  while (true) {
    std::size_t end = input.find(kAnswerSeparator);
    answers.push_back(input.substr(0, end));
    if (end == std::string_view::npos) return answers;
    input.remove_prefix(end + kAnswerSeparator.size());
  }
}

sdk::HttpResponse parse_answer(std::string_view answer) {
  sdk::HttpResponse response;
  response.status = 200;
  if (!starts_with_status(answer)) {
    response.body = answer;
    return response;
  }
  response.status = std::atoi(std::string(answer.substr(0, 3)).c_str());
  answer.remove_prefix(4);
  while (!answer.empty() && answer.front() != '\n') {
    std::string_view line = answer.substr(0, answer.find('\n'));
    answer.remove_prefix(std::min(answer.size(), line.size() + 1));
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (value.starts_with(' ')) value.remove_prefix(1);
    response.headers.emplace_back(line.substr(0, colon), value);
  }
  if (!answer.empty()) answer.remove_prefix(1);  // the blank line
  response.body = answer;
  return response;
}

ScriptedHost::ScriptedHost(std::string_view input)
    : answers_(split_answers(input)), host_(&kHostApi, reinterpret_cast<mcpauth_host_context*>(this)) {}

sdk::HttpResponse ScriptedHost::next_answer() {
  if (next_ >= answers_.size()) {
    sdk::HttpResponse not_found;
    not_found.status = 404;
    return not_found;
  }
  return parse_answer(answers_[next_++]);
}

}  // namespace mcpauth::fuzz
