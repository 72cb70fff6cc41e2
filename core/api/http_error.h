// An error answer to a request: the status and the "detail" of FastAPI's {"detail": "..."} shape.
#pragma once

#include <stdexcept>
#include <string>

namespace mcpauth::api {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& detail) : std::runtime_error(detail), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

}  // namespace mcpauth::api
