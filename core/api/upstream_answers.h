// The upstream answers the gateway is passing on right now, so that stopping the server can end
// them: an MCP server's event stream may stay quiet for minutes, and a stop must not wait for it.
#pragma once

#include "mcpauth/mcp/upstream.h"

#include <mutex>
#include <set>

namespace mcpauth::api {

class UpstreamAnswers {
 public:
  // While a Registration lives, abort_all() ends its answer (and one registered after abort_all
  // is ended at once).
  class Registration {
   public:
    Registration(UpstreamAnswers& answers, mcp::UpstreamResponse& answer);
    ~Registration();
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    UpstreamAnswers& answers_;
    mcp::UpstreamResponse& answer_;
  };

  void abort_all();

 private:
  std::mutex mutex_;
  std::set<mcp::UpstreamResponse*> open_;
  bool aborting_ = false;
};

}  // namespace mcpauth::api
