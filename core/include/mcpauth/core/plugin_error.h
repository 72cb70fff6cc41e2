#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace mcpauth::core {

// A failure reported by a plugin (or by the host on its behalf) with its mcpauth status code.
class PluginError : public std::runtime_error {
 public:
  PluginError(int32_t status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int32_t status() const noexcept { return status_; }

 private:
  int32_t status_;
};

// A short name for an mcpauth status code, e.g. "not found".
const char* status_name(int32_t status);

}  // namespace mcpauth::core
