// A C++ plugin (through the SDK wrapper) whose every method throws: the host must see error codes
// and messages, never an exception. Config {"fail_create": true} makes the constructor throw too.
#include <mcpauth/plugin.hpp>

#include <stdexcept>

namespace {

using mcpauth::sdk::Error;

bool wants_failure(const mcpauth::sdk::InstanceArgs& args) {
  return args.config_json.find("\"fail_create\":true") != std::string::npos;
}

class ThrowingAuth : public mcpauth::sdk::AuthPlugin {
 public:
  explicit ThrowingAuth(const mcpauth::sdk::InstanceArgs& args) {
    if (wants_failure(args)) throw std::runtime_error("boom in create");
  }
  void get_credentials(const std::string&, mcpauth::sdk::Headers&) override {
    throw std::runtime_error("boom in get_credentials");
  }
  std::string status(const std::string&) override { throw std::logic_error("boom in status"); }
  int32_t on_challenge(const std::string&, int, const std::string&) override { throw 42; }  // not even a std::exception
  mcpauth::sdk::Authorization begin_authorization(const mcpauth::sdk::BeginAuthorization&) override {
    throw Error(MCPAUTH_ERR_DENIED, "boom in begin_authorization");
  }
  void complete_authorization(const std::string&, const std::string&, const std::string&) override {
    throw std::bad_alloc();
  }
  void refresh(const std::string&) override { throw Error(MCPAUTH_ERR_NETWORK, "boom in refresh"); }
  void logout(const std::string&) override { throw std::runtime_error("boom in logout"); }
};

class ThrowingStorage : public mcpauth::sdk::StoragePlugin {
 public:
  explicit ThrowingStorage(const mcpauth::sdk::InstanceArgs& args) {
    if (wants_failure(args)) throw Error(MCPAUTH_ERR_CONFIG, "boom in create");
  }
  std::optional<mcpauth::sdk::Bytes> get(const std::string&) override { throw std::runtime_error("boom in get"); }
  void put(const std::string&, std::span<const uint8_t>) override { throw Error(MCPAUTH_ERR_IO, "boom in put"); }
  bool remove(const std::string&) override { throw std::runtime_error("boom in remove"); }
  std::vector<std::string> list(const std::string&) override { throw std::runtime_error("boom in list"); }
  std::unique_ptr<Lock> lock(const std::string&, uint32_t) override { throw std::runtime_error("boom in lock"); }
};

struct ThrowingLibrary {
  static constexpr const char* id = "throwing";
  static constexpr const char* version = "0.0.1";
  static constexpr const char* description = "Throws from every method";
  static constexpr const char* config_schema =
      R"({"type":"object","properties":{"fail_create":{"type":"boolean"}},"additionalProperties":false})";
  using Auth = ThrowingAuth;
  using Storage = ThrowingStorage;
};

}  // namespace

MCPAUTH_EXPORT_PLUGIN(ThrowingLibrary)
