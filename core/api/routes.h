// The route table and how a request path is matched against it. Paths are compared raw, segment
// by segment, never decoded or normalised: "%2e%2e", encoded slashes and the like match nothing.
#pragma once

#include "api_context.h"
#include "exchange.h"

#include <string>
#include <string_view>
#include <vector>

namespace mcpauth::api {

struct Route {
  const char* method;
  // Segments separated by '/'. "{server}" matches one valid server name; a final "*" matches one
  // or more segments. The pattern is also the route's label in the metrics.
  const char* pattern;
  void (*handle)(ApiContext& api, Exchange& exchange);
};

struct RouteMatch {
  const Route* route = nullptr;              // null: none for this method
  std::string server;                        // the {server} segment
  std::vector<std::string> allowed_methods;  // when the path matches routes of other methods only
};

RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace mcpauth::api
