#include "routes.h"

#include "handlers.h"

#include "mcpauth/config/check.h"

#include <algorithm>
#include <array>

namespace mcpauth::api {
namespace {

constexpr std::array kRoutes = {
    Route{"GET", "/healthz", handle_health},
    Route{"GET", "/metrics", handle_metrics},
    Route{"GET", "/", handle_web_asset},
    Route{"GET", "/admin", handle_web_asset},
    Route{"GET", "/assets/*", handle_web_asset},
    Route{"GET", "/admin/mcp/jwt/list", handle_admin_jwt_list},
    Route{"POST", "/admin/mcp/{server}/jwt", handle_admin_jwt_upload},
    Route{"GET", "/admin/mcp/{server}/jwt", handle_admin_jwt_get},
    Route{"DELETE", "/admin/mcp/{server}/jwt", handle_admin_jwt_delete},
    Route{"GET", "/api/mcp/auth/status", handle_auth_status},
    Route{"POST", "/api/mcp/auth/{server}/token", handle_user_token_upload},
    Route{"DELETE", "/api/mcp/auth/{server}/token", handle_user_token_delete},
    Route{"GET", "/api/mcp/auth/{server}/oauth/start", handle_oauth_start},
    Route{"GET", "/api/mcp/auth/{server}/oauth/callback", handle_oauth_callback},
    Route{"POST", "/mcp/{server}", handle_mcp},
    Route{"GET", "/mcp/{server}", handle_mcp},
    Route{"DELETE", "/mcp/{server}", handle_mcp},
};

// "/a/b" -> {"a", "b"}; "/" -> {}; "/a/" -> {"a", ""}.
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path == "/") return out;
  size_t start = 1;
  while (true) {
    const size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

// Whether the path fits the pattern; fills *server from a "{server}" segment.
bool fits(std::string_view pattern, const std::vector<std::string_view>& path, std::string* server) {
  const std::vector<std::string_view> parts = segments(pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "*") return i == parts.size() - 1 && path.size() > i;
    if (i >= path.size()) return false;
    if (parts[i] == "{server}") {
      if (!config::valid_server_name(path[i])) return false;
      *server = std::string(path[i]);
    } else if (parts[i] != path[i]) {
      return false;
    }
  }
  return parts.size() == path.size();
}

}  // namespace

RouteMatch match_route(std::string_view method, std::string_view path) {
  // HEAD is GET without the body (Poco's response leaves the body out for HEAD requests).
  if (method == "HEAD") method = "GET";
  RouteMatch match;
  if (!path.starts_with('/')) return match;
  const std::vector<std::string_view> parts = segments(path);
  for (const Route& route : kRoutes) {
    std::string server;
    if (!fits(route.pattern, parts, &server)) continue;
    if (method == route.method) {
      match.route = &route;
      match.server = std::move(server);
      match.allowed_methods.clear();
      return match;
    }
    if (std::find(match.allowed_methods.begin(), match.allowed_methods.end(), route.method) ==
        match.allowed_methods.end())
      match.allowed_methods.push_back(route.method);
  }
  return match;
}

}  // namespace mcpauth::api
