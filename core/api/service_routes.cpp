// Routes that need no identity: health, metrics, and the web pages' static assets.
#include "handlers.h"
#include "http_error.h"
#include "web_assets.h"

namespace mcpauth::api {
namespace {

std::string content_type_of(const std::string& path) {
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".png")) return "image/png";
  if (path.ends_with(".ico")) return "image/x-icon";
  if (path.ends_with(".json")) return "application/json";
  if (path.starts_with("/assets/")) return "application/octet-stream";
  return "text/html; charset=utf-8";  // "/" and "/admin"
}

}  // namespace

void handle_health(ApiContext&, Exchange& exchange) {
  Poco::JSON::Object body;
  body.set("status", "ok");
  exchange.send_json(200, body);
}

void handle_metrics(ApiContext& api, Exchange& exchange) {
  exchange.send(200, "text/plain; version=0.0.4; charset=utf-8", api.metrics.render());
}

void handle_web_asset(ApiContext&, Exchange& exchange) {
  const std::string* asset = find_web_asset(exchange.path());
  if (asset == nullptr) throw HttpError(404, "Not Found");
  auto& response = exchange.response();
  response.set("Content-Security-Policy",
               "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  exchange.send(200, content_type_of(exchange.path()), *asset);
}

}  // namespace mcpauth::api
