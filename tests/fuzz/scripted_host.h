// A host services table for fuzzing plugin code in-process: its HTTP client answers each request
// with the next answer taken from the fuzz input, in order (404 once they run out). Nothing else
// reaches outside: fixed clocks, deterministic "random" bytes, no storage.
//
// Input format: answers separated by kAnswerSeparator. An answer is either a bare body (status
// 200) or "STATUS\nName: value\n...\n\nbody" when it starts with three digits and a newline.
#pragma once

#include <mcpauth/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace mcpauth::fuzz {

inline constexpr std::string_view kAnswerSeparator = "\n--next--\n";
inline constexpr int64_t kNowMs = 1'750'000'000'000;

std::vector<std::string_view> split_answers(std::string_view input);
sdk::HttpResponse parse_answer(std::string_view answer);

class ScriptedHost {
 public:
  explicit ScriptedHost(std::string_view input);
  ScriptedHost(const ScriptedHost&) = delete;
  ScriptedHost& operator=(const ScriptedHost&) = delete;

  const sdk::Host& host() const { return host_; }
  sdk::HttpResponse next_answer();

 private:
  std::vector<std::string_view> answers_;
  std::size_t next_ = 0;
  sdk::Host host_;
};

}  // namespace mcpauth::fuzz
