#include "mcpauth/config/error.h"

#include "mcpauth/config/printable.h"

namespace mcpauth::config {
namespace {

constexpr std::size_t kMaxName = 64;    // longest valid server name
constexpr std::size_t kMaxText = 1024;  // paths, field paths and problem texts

}  // namespace

Location Location::key(std::string_view name) const {
  Location out = *this;
  if (!out.field.empty()) out.field += '.';
  out.field += name;
  return out;
}

Location Location::index(std::size_t i) const {
  Location out = *this;
  out.field += '[' + std::to_string(i) + ']';
  return out;
}

std::string format_message(const Location& where, std::string_view problem) {
  std::string out;
  auto part = [&out](const std::string& text) {
    if (!out.empty()) out += ": ";
    out += text;
  };
  if (!where.file.empty()) part(printable(where.file, kMaxText));
  if (!where.server.empty()) part("server '" + printable(where.server, kMaxName) + "'");
  if (!where.field.empty()) part("field '" + printable(where.field, kMaxText) + "'");
  part(printable(problem, kMaxText));
  return out;
}

ConfigError::ConfigError(Location where, std::string problem)
    : std::runtime_error(format_message(where, problem)), where_(std::move(where)), problem_(std::move(problem)) {}

}  // namespace mcpauth::config
