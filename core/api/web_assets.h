// The web pages served at GET /, /admin and /assets/*.
#pragma once

#include <string>

namespace mcpauth::api {

// The content for a request path ("/", "/admin", "/assets/<name>"), or null when there is none.
// The content type follows from the path (see service_routes.cpp).
const std::string* find_web_asset(const std::string& path);

}  // namespace mcpauth::api
