// The gateway's own answers to an MCP client, as JSON-RPC errors (what an MCP client can show):
// the request's id when it had one, the server's name, never a URL or a credential.
#pragma once

#include "exchange.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace mcpauth::api {

// MCP's "authorization required" (the code Atlas UI and the TS SDK's clients know).
constexpr int kJsonRpcAuthRequired = -32001;
// JSON-RPC's implementation-defined server error: the MCP server could not give an answer.
constexpr int kJsonRpcServerError = -32000;

// The "id" of a JSON-RPC request body; null for a notification, a batch or anything unreadable.
Poco::Dynamic::Var jsonrpc_request_id(const std::string& body);

// {"jsonrpc":"2.0","id":id,"error":{"code":code,"message":message,"data":data}} (no data when null).
std::string jsonrpc_error(const Poco::Dynamic::Var& id, int code, const std::string& message,
                          Poco::JSON::Object::Ptr data = nullptr);

// Sends jsonrpc_error as application/json with the HTTP status.
void send_jsonrpc_error(Exchange& exchange, int http_status, const Poco::Dynamic::Var& id, int code,
                        const std::string& message, Poco::JSON::Object::Ptr data = nullptr);

}  // namespace mcpauth::api
