#include "request_handler.h"

#include "exchange.h"
#include "http_error.h"
#include "routes.h"

#include "mcpauth/config/printable.h"
#include "mcpauth/core/log.h"

#include <chrono>

namespace mcpauth::api {
namespace {

// Poco bounds each header line; this bounds them all together.
size_t header_bytes(const Poco::Net::HTTPServerRequest& request) {
  size_t total = request.getMethod().size() + request.getURI().size() + request.getVersion().size() + 4;
  for (const auto& [name, value] : request) total += name.size() + value.size() + 4;
  return total;
}

// `POST "/api/mcp/auth/x/token"`: the path is quoted so that the log's redaction, which masks
// the word after "token", leaves what follows it alone. Never the query: it may carry secrets.
std::string request_text(const Poco::Net::HTTPServerRequest& request, const Exchange& exchange) {
  return config::printable(request.getMethod(), 32) + " \"" + config::printable(exchange.path()) + "\"";
}

void route(ApiContext& api, Exchange& exchange, std::string& label) {
  const auto max_header_bytes = static_cast<size_t>(api.settings.limits.max_header_bytes);
  if (header_bytes(exchange.request()) > max_header_bytes)
    throw HttpError(431, "Request headers too large (limit " + std::to_string(max_header_bytes) + " bytes)");
  RouteMatch match = match_route(exchange.request().getMethod(), exchange.path());
  if (match.route == nullptr) {
    if (match.allowed_methods.empty()) throw HttpError(404, "Not Found");
    std::string allow;
    for (const std::string& method : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + method;
    exchange.response().set("Allow", allow);
    throw HttpError(405, "Method Not Allowed");
  }
  label = match.route->pattern;
  exchange.server = match.server;
  match.route->handle(api, exchange);
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(ApiContext& api, std::atomic<int>& in_flight) : api_(api), in_flight_(in_flight) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    ++in_flight_;
    struct Done {
      std::atomic<int>& count;
      ~Done() { --count; }
    } done{in_flight_};
    const auto start = std::chrono::steady_clock::now();
    Exchange exchange(request, response, api_.settings.limits);
    std::string label = "unmatched";  // route label in the metrics
    try {
      route(api_, exchange, label);
    } catch (const HttpError& e) {
      answer_error(exchange, e.status(), e.what());
    } catch (const std::exception& e) {  // a plugin failure or a bug: details go to the log only
      core::log(core::LogLevel::error, "http", request_text(request, exchange) + " failed: " + e.what());
      answer_error(exchange, 500, "Internal server error");
    }
    const int status = exchange.sent() ? exchange.status() : 500;
    api_.metrics.count_request(label, status);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    core::log(core::LogLevel::info, "http",
              request_text(request, exchange) + " " + std::to_string(status) + " " + std::to_string(ms.count()) +
                  "ms user=" + (exchange.user.empty() ? "-" : config::printable(exchange.user)));
  }

 private:
  // Unless an answer already went out (then the client is gone, or a route threw after sending).
  static void answer_error(Exchange& exchange, int status, const std::string& detail) {
    if (exchange.sent()) return;
    try {
      exchange.send_error(status, detail);
    } catch (const std::exception&) {  // the client went away
    }
  }

  ApiContext& api_;
  std::atomic<int>& in_flight_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* RequestHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new RequestHandler(api_, in_flight_);
}

}  // namespace mcpauth::api
