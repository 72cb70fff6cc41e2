#include "fresh_store.h"

#include "suite.h"

#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace contract {
namespace {

constexpr std::string_view kPlaceholder = "@DIR@";

// The path as the inside of a JSON string.
std::string json_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

FreshStore::FreshStore() : config_(suite().options.config) {
  if (config_.find(kPlaceholder) != std::string::npos) {
    std::string pattern = (std::filesystem::temp_directory_path() / "mcpauth-contract-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::system_error(errno, std::generic_category(), "cannot create a temporary directory");
    sandbox_ = pattern;
    std::filesystem::create_directories(directory());
    config_ = replace_all(config_, kPlaceholder, json_escaped(directory().string()));
  }
  auto violations = suite().library->config_schema().validate_text(config_);
  if (!violations.empty()) {
    remove_sandbox();  // a constructor that throws gets no destructor call
    throw std::runtime_error("config " + config_ + " is invalid for plugin '" + suite().library->id() +
                             "': " + mcpauth::schema::to_string(violations.front()));
  }
}

FreshStore::~FreshStore() { remove_sandbox(); }

void FreshStore::remove_sandbox() {
  std::error_code ignored;  // a leftover temporary directory must not fail the test
  if (!sandbox_.empty()) std::filesystem::remove_all(sandbox_, ignored);
}

std::unique_ptr<mcpauth::core::StorageInstance> FreshStore::open() const {
  return std::make_unique<mcpauth::core::StorageInstance>(suite().library,
                                                          mcpauth::core::InstanceSpec{"contract", "", config_});
}

}  // namespace contract
