#include "mcpauth/core/http_client.h"

#include "mcpauth/core/http_session.h"

#include "mcpauth/core/plugin_error.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <chrono>
#include <memory>

namespace mcpauth::core {
namespace {

using Clock = std::chrono::steady_clock;

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

struct Attempt {
  sdk::HttpResponse response;
  std::string location;  // for redirects
};

Attempt send_once(const Poco::URI& uri, const sdk::HttpRequest& request, const std::string& method, bool with_body,
                  Clock::time_point deadline, uint64_t max_bytes) {
  auto remaining = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
  if (remaining <= 0) throw PluginError(MCPAUTH_ERR_TIMEOUT, "request to " + uri.getHost() + " timed out");
  auto session = open_http_session(uri);
  session->setTimeout(Poco::Timespan(remaining));
  Poco::Net::HTTPRequest http_request(method, uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                      Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : request.headers) http_request.add(name, value);
  if (with_body) http_request.setContentLength(static_cast<std::streamsize>(request.body.size()));
  std::ostream& out = session->sendRequest(http_request);
  if (with_body) out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));

  Poco::Net::HTTPResponse http_response;
  std::istream& in = session->receiveResponse(http_response);
  Attempt attempt;
  attempt.response.status = static_cast<int>(http_response.getStatus());
  for (const auto& [name, value] : http_response) attempt.response.headers.emplace_back(name, value);
  if (http_response.has("Location")) attempt.location = http_response.get("Location");

  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    attempt.response.body.append(buffer, static_cast<size_t>(in.gcount()));
    if (attempt.response.body.size() > max_bytes)
      throw PluginError(MCPAUTH_ERR_NETWORK,
                        "response from " + uri.getHost() + " is larger than " + std::to_string(max_bytes) + " bytes");
    if (Clock::now() > deadline) throw PluginError(MCPAUTH_ERR_TIMEOUT, "request to " + uri.getHost() + " timed out");
  }
  return attempt;
}

}  // namespace

sdk::HttpResponse http_fetch(const sdk::HttpRequest& request) {
  const uint32_t timeout_ms = request.timeout_ms == 0 ? kDefaultHttpTimeoutMs : request.timeout_ms;
  const uint64_t max_bytes = request.max_response_bytes == 0 ? kDefaultMaxResponseBytes : request.max_response_bytes;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);

  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception&) {
    throw PluginError(MCPAUTH_ERR_NETWORK, "invalid URL");
  }
  if (uri.getHost().empty()) throw PluginError(MCPAUTH_ERR_NETWORK, "URL has no host");

  sdk::HttpRequest current = request;
  std::string method = request.method;
  bool with_body = !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  for (uint32_t hops = 0;; ++hops) {
    Attempt attempt;
    try {
      attempt = send_once(uri, current, method, with_body, deadline, max_bytes);
    } catch (const PluginError&) {
      throw;
    } catch (const Poco::TimeoutException&) {
      throw PluginError(MCPAUTH_ERR_TIMEOUT, "request to " + uri.getHost() + " timed out");
    } catch (const Poco::Exception& e) {
      throw PluginError(MCPAUTH_ERR_NETWORK, "request to " + uri.getHost() + " failed: " + e.displayText());
    } catch (const std::exception& e) {
      throw PluginError(MCPAUTH_ERR_NETWORK, "request to " + uri.getHost() + " failed: " + e.what());
    }
    attempt.response.final_url = uri.toString();
    if (!is_redirect(attempt.response.status) || attempt.location.empty() || hops >= request.max_redirects)
      return attempt.response;

    Poco::URI next(uri, attempt.location);  // resolves relative Location values
    if (origin_of(next) != origin_of(uri)) {
      std::erase_if(current.headers, [](const auto& header) {
        return Poco::icompare(header.first, "Authorization") == 0 || Poco::icompare(header.first, "Cookie") == 0;
      });
    }
    // As browsers do: 303, and 301/302 after a POST, continue as a GET without a body.
    if (attempt.response.status == 303 || (method == "POST" && attempt.response.status <= 302)) {
      method = "GET";
      with_body = false;
      current.body.clear();
    }
    uri = next;
  }
}

}  // namespace mcpauth::core
