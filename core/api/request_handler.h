// Poco's handler for every request: limits on headers, routing, errors as {"detail": ...},
// the request counter, and one log line per request.
#pragma once

#include "api_context.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>

namespace mcpauth::api {

class RequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  // in_flight counts the requests being handled, so shutdown can wait for them.
  RequestHandlerFactory(ApiContext& api, std::atomic<int>& in_flight) : api_(api), in_flight_(in_flight) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  ApiContext& api_;
  std::atomic<int>& in_flight_;
};

}  // namespace mcpauth::api
