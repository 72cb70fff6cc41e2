// What this run checks: the plugin under test and the options given on the command line.
#pragma once

#include "mcpauth/core/plugin_library.h"

#include <filesystem>
#include <memory>
#include <string>

namespace contract {

struct Options {
  std::filesystem::path plugin;  // the storage plugin library
  std::string config = "{}";     // instance config; "@DIR@" stands for a fresh empty directory
  bool shared = false;           // instances with the same config share one store (across processes too)
  bool crash = false;            // run the SIGKILL crash-consistency test
};

struct Suite {
  Options options;
  std::shared_ptr<const mcpauth::core::PluginLibrary> library;
};

// Loads the plugin through the host's registry; throws std::runtime_error with the reason.
void load_suite(const Options& options);
const Suite& suite();

enum class Needs { locks, shared, crash };
// True when this run offers what a test needs; otherwise the test is skipped: a WARN says why.
bool available(Needs need);

}  // namespace contract
