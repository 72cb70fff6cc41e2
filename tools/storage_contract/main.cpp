// mcpauth-storage-contract: checks any storage plugin library against the storage contract,
// loading it through the host's own code. Our options are added to Catch2's command line, so
// test selection, reporters and the rest work as usual.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "mcpauth/core/log.h"

#include "fresh_store.h"
#include "suite.h"
#include "watchdog.h"

#include <iostream>

namespace {

struct WatchdogListener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo& info) override { contract::arm_watchdog(info.name); }
  void testCaseEnded(const Catch::TestCaseStats&) override { contract::disarm_watchdog(); }
};

// Loads the plugin and creates one instance, so that a library or config that cannot work at all
// is reported once, clearly, instead of by every test case.
bool prepare(const contract::Options& options, const std::string& log_level) {
  try {
    mcpauth::core::set_log_level(mcpauth::core::parse_log_level(log_level));
    contract::load_suite(options);
    contract::FreshStore probe;
    probe.open();
  } catch (const std::exception& e) {
    std::cerr << "mcpauth-storage-contract: " << e.what() << "\n";
    return false;
  }
  const auto& library = *contract::suite().library;
  std::cout << "storage plugin '" << library.id() << "' " << library.version() << " from " << library.path().string()
            << "\n  locks: " << (library.storage_api().lock != nullptr ? "yes" : "no")
            << ", --shared: " << (options.shared ? "yes" : "no") << ", --crash: " << (options.crash ? "yes" : "no")
            << "\n";
  return true;
}

}  // namespace

CATCH_REGISTER_LISTENER(WatchdogListener)

int main(int argc, char* argv[]) {
  Catch::Session session;
  contract::Options options;
  std::string plugin;
  std::string log_level = "warn";  // instances are created by the hundred: info would drown the report
  using Catch::clara::Opt;
  auto cli = session.cli();
  cli |= Opt(plugin, "library.so")["--plugin"]("the storage plugin library to check (required)");
  cli |= Opt(options.config, "json")["--config"]("instance config (default {}); @DIR@: a fresh directory per test");
  cli |= Opt(options.shared)["--shared"](
      "instances with the same config share one store, across processes too: run the multi-instance, "
      "multi-process and reopen tests");
  cli |= Opt(options.crash)["--crash"]("run the crash-consistency test (SIGKILLed writers)");
  cli |= Opt(log_level, "level")["--log-level"]("host log threshold: debug, info, warn (default) or error");
  session.cli(cli);
  if (int status = session.applyCommandLine(argc, argv); status != 0) return status;

  const Catch::ConfigData& data = session.configData();
  if (data.showHelp || data.libIdentify) return 0;
  bool listing_only = data.listTests || data.listTestNamesOnly || data.listTags || data.listReporters;
  if (!listing_only) {
    if (plugin.empty()) {
      std::cerr << "mcpauth-storage-contract: --plugin is required (see --help)\n";
      return 2;
    }
    options.plugin = plugin;
    if (!prepare(options, log_level)) return 2;
  }
  return session.run();
}
