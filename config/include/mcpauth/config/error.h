// ConfigError and Location: where in the configuration a problem is.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpauth::config {

// A place in the configuration. Empty parts do not apply (e.g. a syntax error has no server).
struct Location {
  std::string file{};
  std::string server{};
  std::string field{};  // dotted path with list indexes, e.g. "oauth_config.scopes[1]"

  Location key(std::string_view name) const;  // field path extended by ".name"
  Location index(std::size_t i) const;        // field path extended by "[i]"
};

// "<file>: server '<name>': field '<field>': <problem>", leaving out empty parts. Always
// one line: control and non-ASCII bytes are escaped, long names truncated. Used for errors
// and warnings alike.
std::string format_message(const Location& where, std::string_view problem);

// what() is format_message(where, problem). Problems name fields, types and allowed
// values, never the configured values themselves (they may be secrets).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(Location where, std::string problem);

  const std::string& file() const { return where_.file; }
  const std::string& server() const { return where_.server; }
  const std::string& field() const { return where_.field; }
  const std::string& problem() const { return problem_; }

 private:
  Location where_;
  std::string problem_;
};

}  // namespace mcpauth::config
