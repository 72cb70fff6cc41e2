// An auth plugin that adds one fixed header to every request. It knows nothing of mcpauth but the
// installed SDK header.
#include <mcpauth/plugin.hpp>

namespace {

class ExampleHeader : public mcpauth::sdk::AuthPlugin {
 public:
  explicit ExampleHeader(const mcpauth::sdk::InstanceArgs& args) : server_(args.server_name) {}

  void get_credentials(const std::string&, mcpauth::sdk::Headers& headers) override {
    headers.emplace_back("X-Example", "hello " + server_);
  }
  std::string status(const std::string&) override { return R"({"authenticated":true})"; }

 private:
  std::string server_;
};

struct ExampleLibrary {
  static constexpr const char* id = "example_header";
  static constexpr const char* version = "0.1.0";
  static constexpr const char* description = "Adds X-Example to every request";
  static constexpr const char* config_schema = R"({"type":"object","additionalProperties":false})";
  using Auth = ExampleHeader;
  using Storage = void;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(ExampleLibrary)
