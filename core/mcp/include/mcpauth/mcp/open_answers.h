// Upstream answers being read right now, so that another thread can end them: an MCP server's
// event stream may stay quiet for minutes, and closing a transport or stopping `mcpauth serve`
// must not wait for it.
#pragma once

#include "mcpauth/mcp/upstream.h"

#include <mutex>
#include <set>

namespace mcpauth::mcp {

class OpenAnswers {
 public:
  // Keeps an answer abortable while it lives (it must end before the answer is destroyed). When
  // close_all() came first, the answer is aborted at once and the registration is false: the
  // answer is not to be read.
  class Registration {
   public:
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration();
    explicit operator bool() const { return registered_; }

   private:
    friend class OpenAnswers;
    Registration(OpenAnswers& answers, UpstreamResponse& answer);
    OpenAnswers& answers_;
    UpstreamResponse& answer_;
    bool registered_ = false;
  };

  Registration add(UpstreamResponse& answer) { return Registration(*this, answer); }

  // Aborts every open answer, and every one added later.
  void close_all();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  std::set<UpstreamResponse*> open_;
  bool closed_ = false;
};

}  // namespace mcpauth::mcp
