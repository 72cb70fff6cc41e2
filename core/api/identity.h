// Who is asking: the user named by the reverse proxy's identity header, trusted only when the
// proxy proves itself with the shared secret header (when one is configured).
#pragma once

#include "mcpauth/config/config.h"

#include <Poco/Net/HTTPRequest.h>

#include <string>

namespace mcpauth::api {

// The user of the request. Throws HttpError(401) when the proxy secret is configured and the
// request does not carry it, or when the identity header is missing, empty, repeated or not
// 1-256 printable ASCII characters.
std::string authenticate(const Poco::Net::HTTPRequest& request, const config::Settings& settings);

}  // namespace mcpauth::api
