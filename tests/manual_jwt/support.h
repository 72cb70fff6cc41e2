// Shared by the manual_jwt tests: JWTs built in the test, servers bound through the real host
// (configuration mapping, plugin registry, storage plugin), and the errors they raise.
#pragma once

#include "test_support.h"

#include "mcpauth/core/plugin_error.h"
#include "mcpauth/core/server_binding.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace manual_jwt_test {

using mcpauth::core::HeaderList;
using mcpauth::core::PluginError;

// base64url without padding, as in JWTs.
std::string b64(const std::string& data);
// header.claims.signature from the JSON texts; the signature is a fixed fake one.
std::string make_jwt(const std::string& header_json, const std::string& claims_json,
                     const std::string& signature = "c2lnbmF0dXJlLW5vdC12ZXJpZmllZA");
// A valid HS256 JWT with these claims.
std::string jwt_with_claims(const std::string& claims_json);

int64_t now_s();

// One server, bound as mcpauth binds it, from the JSON of its server object in mcp.json.
class Server {
 public:
  explicit Server(const std::string& server_json, const std::string& name = "srv");
  mcpauth::core::AuthInstance& auth() { return binding_->auth(); }
  mcpauth::core::StorageInstance& storage() { return binding_->storage(); }
  // The value stored under the server's key (as the plugin sees its keys), "" when absent.
  std::string stored(const std::string& key);

 private:
  std::string name_;
  std::unique_ptr<mcpauth::core::ServerBinding> binding_;
};

// The server object with the memory storage plugin and these Atlas auth fields.
std::string memory_server(const std::string& auth_fields);

// The value of a header (the first of that name); throws when absent.
std::string header(const HeaderList& headers, const std::string& name);

Poco::JSON::Object::Ptr parse(const std::string& json);

// The PluginError that call throws (std::logic_error if it throws none).
template <class Call>
PluginError error_of(Call&& call) {
  return mcpauth::test::thrown_by<PluginError>(call);
}

}  // namespace manual_jwt_test
