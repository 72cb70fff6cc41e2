// Helpers shared by the configuration tests.
#pragma once

#include "mcpauth/config/config.h"
#include "test_support.h"

#include <Poco/JSON/Stringifier.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mcpauth::config::test {

inline std::string source_dir() {
  const char* dir = std::getenv("MCPAUTH_SOURCE_DIR");  // set by mcpauth_add_test
  REQUIRE(dir != nullptr);
  return dir;
}

inline std::string fixture(const std::string& relative) { return source_dir() + "/tests/config/fixtures/" + relative; }

// Options that never look at the real environment.
inline LoadOptions options(std::map<std::string, std::string> env = {}, std::string home = "/home/tester") {
  LoadOptions opts;
  opts.getenv = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  opts.home = std::move(home);
  return opts;
}

inline Config parse(const std::string& text, Format format = Format::Json, const LoadOptions& opts = options()) {
  return parse_config_text(text, "test.json", format, opts);
}

// The ConfigError that f throws; fails the test when it throws none.
template <typename F>
ConfigError error_of(F&& f) {
  return mcpauth::test::thrown_by<ConfigError>(f);
}

inline ConfigError parse_error(const std::string& text, Format format = Format::Json,
                               const LoadOptions& opts = options()) {
  return error_of([&] { parse(text, format, opts); });
}

inline std::string json(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(object, out);
  return out.str();
}

inline const ServerConfig& server(const Config& config, const std::string& name) {
  for (const auto& s : config.servers) {
    if (s.name == name) return s;
  }
  FAIL("no server named " << name);
  throw std::logic_error("unreachable");
}

// Everything a server resolved to, except where it came from.
inline std::string dump(const ServerConfig& s) {
  std::ostringstream out;
  out << s.name << '|' << s.url << '|' << s.transport << '|' << s.description << '|' << s.enabled << '|' << s.command
      << '|' << s.cwd << "|groups:";
  for (const auto& g : s.groups) out << g << ',';
  out << "|args:";
  for (const auto& a : s.args) out << a << ',';
  out << "|env:";
  for (const auto& [k, v] : s.env) out << k << '=' << v << ',';
  out << "|auth:" << s.auth.plugin << json(s.auth.config) << "|storage:" << s.storage.plugin << json(s.storage.config);
  return out.str();
}

inline std::string dump(const Settings& s) {
  std::ostringstream out;
  out << s.listen << '|' << s.admin_group << "|dirs:";
  for (const auto& d : s.plugin_dirs) out << d << ',';
  if (s.default_storage) out << "|default_storage:" << s.default_storage->plugin << json(s.default_storage->config);
  return out.str();
}

}  // namespace mcpauth::config::test
