#include "network_module.h"

#include "mcpauth/core/http_client.h"
#include "mcpauth/core/plugin_error.h"

#include <dlfcn.h>

#include <filesystem>
#include <stdexcept>

#ifndef MCPAUTH_RELATIVE_NETWORK_MODULE
#error "MCPAUTH_RELATIVE_NETWORK_MODULE must be defined by the build"
#endif

namespace mcpauth::cli {
namespace {

std::filesystem::path module_path() {
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw std::runtime_error("cannot find the mcpauth executable (/proc/self/exe): " + error.message());
  return (executable.parent_path() / MCPAUTH_RELATIVE_NETWORK_MODULE).lexically_normal();
}

template <typename Function>
Function symbol(void* library, const char* name, const std::filesystem::path& path) {
  void* address = dlsym(library, name);
  if (address == nullptr) throw std::runtime_error(path.string() + " has no " + name + ": reinstall mcpauth");
  return reinterpret_cast<Function>(address);
}

}  // namespace

NetworkModule::NetworkModule() {
  const std::filesystem::path path = module_path();
  // Never closed: its code runs until the process ends.
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr)
    throw std::runtime_error("cannot load mcpauth's network module: " + std::string(dlerror()) +
                             " (it belongs next to the plugins' directory; reinstall mcpauth)");
  main_ = symbol<decltype(main_)>(library, "mcpauth_network_main", path);
  http_fetch_ = symbol<decltype(http_fetch_)>(library, "mcpauth_network_http_fetch", path);
}

sdk::HttpResponse NetworkModule::http_fetch(const sdk::HttpRequest& request) const {
  sdk::HttpResponse response;
  std::string message;
  const int32_t status = http_fetch_(&request, &response, &message);
  if (status != MCPAUTH_OK) throw core::PluginError(status, message);
  return response;
}

const NetworkModule& network_module() {
  static const NetworkModule module;  // thread-safe, once; a failure is retried on the next call
  return module;
}

}  // namespace mcpauth::cli

// This executable's HTTP client (see core/CMakeLists.txt, MCPAUTH_OWN_HTTP_CLIENT): the module's.
namespace mcpauth::core {

sdk::HttpResponse http_fetch(const sdk::HttpRequest& request) { return cli::network_module().http_fetch(request); }

}  // namespace mcpauth::core
