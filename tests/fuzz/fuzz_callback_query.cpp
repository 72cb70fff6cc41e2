// Authorization callback query strings: the host's reader (core/src/callback_query.cpp: a pasted
// line or a request's query) and the oauth21 plugin's (parse_query of plugins/oauth21/url.cpp).
// Where the plugin's reader accepts the query, both must see the same code, state, iss and error.
#include "callback_query.h"
#include "url.h"

#include <cstdlib>

using namespace mcpauth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> query = core::query_of_pasted_line(line);
  if (!query) return 0;
  const std::optional<oauth21::Params> params = oauth21::parse_query(*query);
  for (const char* name : {"code", "state", "iss", "error", "error_description"}) {
    const std::optional<std::string> host_view = core::query_parameter(*query, name);
    if (params && oauth21::find_param(*params, name) != host_view) std::abort();
  }
  return 0;
}
