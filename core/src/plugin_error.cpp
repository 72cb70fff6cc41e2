#include "mcpauth/core/plugin_error.h"

#include <mcpauth/plugin_abi.h>

namespace mcpauth::core {

const char* status_name(int32_t status) {
  switch (status) {
    case MCPAUTH_OK:
      return "ok";
    case MCPAUTH_ERR_INVALID_ARGUMENT:
      return "invalid argument";
    case MCPAUTH_ERR_NOT_FOUND:
      return "not found";
    case MCPAUTH_ERR_UNSUPPORTED:
      return "unsupported";
    case MCPAUTH_ERR_INTERNAL:
      return "internal error";
    case MCPAUTH_ERR_IO:
      return "I/O error";
    case MCPAUTH_ERR_NETWORK:
      return "network error";
    case MCPAUTH_ERR_TIMEOUT:
      return "timed out";
    case MCPAUTH_ERR_CANCELLED:
      return "cancelled";
    case MCPAUTH_ERR_AUTH_REQUIRED:
      return "authorization required";
    case MCPAUTH_ERR_DENIED:
      return "denied";
    case MCPAUTH_ERR_CONFIG:
      return "configuration error";
    case MCPAUTH_ERR_CRYPTO:
      return "decryption failed";
    case MCPAUTH_ERR_NO_MEMORY:
      return "out of memory";
    default:
      return "unknown error";
  }
}

}  // namespace mcpauth::core
