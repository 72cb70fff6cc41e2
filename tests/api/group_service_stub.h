// A group membership service on 127.0.0.1, the peer that the `group_service` setting talks to:
// POST {"user_id","group_id"} with "Authorization: Bearer <key>" -> {"is_member": bool}. It can
// also fail in the ways a real one does: HTTP 500, a body that is not JSON, answering too late.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace mcpauth::test {

class GroupServiceStub {
 public:
  enum class Behaviour { answer, fail_500, not_json, slow };

  // members: group -> users; api_key: the only key accepted (else 401).
  GroupServiceStub(std::map<std::string, std::set<std::string>> members, std::string api_key);
  ~GroupServiceStub();

  std::string url() const;
  void set_behaviour(Behaviour behaviour);
  void set_members(std::map<std::string, std::set<std::string>> members);
  int requests() const;
  std::string last_authorization() const;
  std::string last_body() const;

  // What the handler threads see.
  struct State;

 private:
  std::shared_ptr<State> state_;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

}  // namespace mcpauth::test
