// The `none` auth plugin: servers that need no credentials.
#include <mcpauth/plugin.hpp>

namespace {

class NoneAuth : public mcpauth::sdk::AuthPlugin {
 public:
  explicit NoneAuth(const mcpauth::sdk::InstanceArgs&) {}

  void get_credentials(const std::string&, mcpauth::sdk::Headers&) override {}
  std::string status(const std::string&) override {
    return R"({"auth_type":"none","auth_required":false,"authenticated":true})";
  }
};

struct NoneLibrary {
  static constexpr const char* id = "none";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "No authentication: requests are sent without credentials";
  static constexpr const char* config_schema = R"({"type":"object","additionalProperties":false})";
  using Auth = NoneAuth;
  using Storage = void;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(NoneLibrary)
