// The hot path inside the host: AuthInstance::get_credentials(user) of the real oauth21 plugin,
// loaded through the host (PluginRegistry, ServerBinding) as `mcpauth` does, with a valid token in
// its cache (handed over with store_token, so no authorization server is involved). The target is
// a median under 2 µs per call.
//
//   build/bin/credentials_bench build/lib/mcpauth/plugins [CALLS] [--json FILE]
//
// For the sqlite store and the memory store, with 1 thread, 2 threads asking for the same user,
// and 2 threads asking for a user each: CALLS calls per thread (default 1,000,000; at least 1000)
// after 10,000 unmeasured ones, timed in batches of 100 calls (the batch's time / 100 is one
// sample, so the clock costs next to nothing) and, in a second pass, one call at a time (the tail:
// p99, p99.9, max; each sample includes one clock read, ~20-30 ns). Also the first call after
// startup for a token that is stored but not cached (a process that just started, as
// `mcpauth token`). Prints a Markdown table with the load average; a benchmark, not a test.
// --json FILE also writes the figures to FILE, a JSON object a line (tests/bench/README.md).
#include "crypto/fernet.h"
#include "mcpauth/config/config.h"
#include "mcpauth/core/log.h"
#include "mcpauth/core/plugin_registry.h"
#include "mcpauth/core/server_binding.h"

#include <unistd.h>

#include <algorithm>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace mcpauth;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kBatch = 100;
constexpr size_t kWarmupCalls = 10'000;
// A JWT-shaped access token of a typical size (the plugin copies it into the header).
const std::string kToken = "eyJhbGciOiJSUzI1NiJ9." + std::string(600, 'p') + "." + std::string(342, 's');

double ns_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

double percentile(std::vector<double>& samples, double fraction) {
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, static_cast<size_t>(fraction * static_cast<double>(samples.size())))];
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// Throws when the plugin answers anything but the stored token: a benchmark of failures is worthless.
void check_credentials(const core::HeaderList& headers) {
  if (headers.size() != 1 || headers[0].first != "Authorization" || headers[0].second != "Bearer " + kToken)
    throw std::runtime_error("get_credentials did not return the stored token");
}

// The figures written with --json; without it, add() does nothing. Names, units and notes are
// this file's own text, without quotes or backslashes.
class FigureFile {
 public:
  explicit FigureFile(const std::string& path) {
    if (path.empty()) return;
    out_.open(path, std::ios::trunc);
    if (!out_) throw std::runtime_error("cannot write --json " + path);
  }
  void add(const std::string& figure, const char* unit, double value, const char* target, const std::string& note) {
    if (!out_.is_open()) return;
    out_ << "{\"bench\": \"credentials\", \"figure\": \"" << figure << "\", \"unit\": \"" << unit
         << "\", \"value\": " << value;
    if (target != nullptr) out_ << ", \"target\": " << target;
    out_ << ", \"note\": \"" << note << "\"}" << std::endl;
  }

 private:
  std::ofstream out_;
};

struct Samples {
  std::vector<double> batch_ns;   // per call, from batches
  std::vector<double> single_ns;  // per call, one at a time
};

// One thread's measurement: warm-up, the batched pass, the single-call pass.
Samples measure(const core::AuthInstance& auth, const std::string& user, size_t calls, std::barrier<>& together) {
  Samples samples;
  for (size_t i = 0; i < kWarmupCalls; ++i) check_credentials(auth.get_credentials(user));
  samples.batch_ns.reserve(calls / kBatch);
  samples.single_ns.reserve(calls);
  together.arrive_and_wait();
  for (size_t batch = 0; batch < calls / kBatch; ++batch) {
    const Clock::time_point start = Clock::now();
    for (size_t i = 0; i < kBatch; ++i) {
      core::HeaderList headers = auth.get_credentials(user);
      if (headers.empty()) throw std::runtime_error("no credentials");
    }
    samples.batch_ns.push_back(ns_since(start) / kBatch);
  }
  together.arrive_and_wait();
  for (size_t i = 0; i < calls; ++i) {
    const Clock::time_point start = Clock::now();
    core::HeaderList headers = auth.get_credentials(user);
    samples.single_ns.push_back(ns_since(start));
    if (headers.empty()) throw std::runtime_error("no credentials");
  }
  check_credentials(auth.get_credentials(user));
  return samples;
}

struct Variant {
  const char* name;
  int threads;
  bool user_per_thread;
};

void run_variant(const core::AuthInstance& auth, const std::string& storage, const Variant& variant, size_t calls,
                 FigureFile& figures) {
  std::barrier together(variant.threads);
  std::vector<Samples> per_thread(static_cast<size_t>(variant.threads));
  std::vector<std::thread> threads;
  const std::string load_before = load_average();
  const std::clock_t cpu_start = std::clock();
  const Clock::time_point wall_start = Clock::now();
  for (int t = 0; t < variant.threads; ++t)
    threads.emplace_back([&, t] {
      const std::string user =
          variant.user_per_thread ? "user" + std::to_string(t) + "@example.com" : "user0@example.com";
      per_thread[static_cast<size_t>(t)] = measure(auth, user, calls, together);
    });
  for (std::thread& thread : threads) thread.join();
  // CPU time over wall time: below the thread count when other processes took the cores.
  const double cpus_busy =
      static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC / (ns_since(wall_start) / 1e9);
  Samples all;
  for (Samples& samples : per_thread) {
    all.batch_ns.insert(all.batch_ns.end(), samples.batch_ns.begin(), samples.batch_ns.end());
    all.single_ns.insert(all.single_ns.end(), samples.single_ns.begin(), samples.single_ns.end());
  }
  std::printf("| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.2f | %s |\n", storage.c_str(), variant.name,
              percentile(all.batch_ns, 0.5), percentile(all.batch_ns, 0.99), percentile(all.single_ns, 0.5),
              percentile(all.single_ns, 0.99), percentile(all.single_ns, 0.999),
              *std::max_element(all.single_ns.begin(), all.single_ns.end()) / 1000, cpus_busy, load_before.c_str());
  const std::string name = storage + " store, " + variant.name;
  const std::string note = std::to_string(calls) + " calls per thread";
  figures.add(name + ": median", "ns", percentile(all.batch_ns, 0.5), R"({"of": "value", "op": "<", "limit": 2000})",
              note + ", batches of " + std::to_string(kBatch));
  figures.add(name + ": p99", "ns", percentile(all.single_ns, 0.99), nullptr, note + ", each call timed alone");
}

config::ServerConfig server_config(const std::string& storage_plugin, const fs::path& dir) {
  config::ServerConfig server;
  server.name = "bench";
  server.url = "https://mcp.example.com/mcp";  // never contacted: the token is supplied
  server.transport = "http";
  server.auth.plugin = "oauth21";
  server.storage.plugin = storage_plugin;
  if (storage_plugin == "sqlite") server.storage.config->set("path", (dir / "tokens.db").string());
  return server;
}

// Stores the token of users 0 and 1. With sqlite, measures a second binding over the same file,
// whose first call reads the store; the memory store lives and dies with its binding.
void bench_storage(const core::PluginRegistry& registry, const std::string& storage_plugin, const fs::path& dir,
                   size_t calls, FigureFile& figures) {
  const config::ServerConfig server = server_config(storage_plugin, dir);
  const std::string metadata = "{\"expires_at\": " + std::to_string(std::time(nullptr) + 3600) + "}";
  auto store_tokens = [&](const core::AuthInstance& auth) {
    for (const char* user : {"user0@example.com", "user1@example.com"}) auth.store_token(user, kToken, metadata);
  };
  auto binding = std::make_unique<core::ServerBinding>(registry, server);
  store_tokens(binding->auth());
  std::optional<double> first_us;
  if (storage_plugin == "sqlite") {  // a new binding over the same file: the token is stored, not cached
    binding = std::make_unique<core::ServerBinding>(registry, server);
    const Clock::time_point start = Clock::now();
    check_credentials(binding->auth().get_credentials("user0@example.com"));
    first_us = ns_since(start) / 1000;
  }
  for (const Variant& variant : {Variant{"1 thread", 1, false}, Variant{"2 threads, same user", 2, false},
                                 Variant{"2 threads, a user each", 2, true}})
    run_variant(binding->auth(), storage_plugin, variant, calls, figures);
  if (first_us) {
    std::printf("| %s | first call, token stored but not cached | %.1f µs | | | | | | | |\n", storage_plugin.c_str(),
                *first_us);
    figures.add(storage_plugin + " store: first call, token stored but not cached", "µs", *first_us, nullptr,
                "one call in a new binding");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::string json_path;
  bool unknown_option = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json" && i + 1 < argc)
      json_path = argv[++i];
    else if (arg.rfind("--", 0) == 0)
      unknown_option = true;
    else
      positional.push_back(arg);
  }
  if (unknown_option || positional.empty() || positional.size() > 2) {
    std::cerr << "usage: credentials_bench PLUGIN_DIR [CALLS] [--json FILE]\n";
    return 2;
  }
  const size_t calls = positional.size() > 1 ? std::strtoul(positional[1].c_str(), nullptr, 10) : 1'000'000;
  if (calls < 1000) {
    std::cerr << "credentials_bench: CALLS must be at least 1000\n";
    return 2;
  }
  // The sqlite store encrypts with this key; without it, it would write a key file with a warning.
  if (std::getenv("OAUTH_STORAGE_ENCRYPTION_KEY") == nullptr)
    ::setenv("OAUTH_STORAGE_ENCRYPTION_KEY", crypto::FernetKey::generate().encoded().c_str(), 1);
  core::set_log_level(core::LogLevel::warn);  // store_token logs a line per token at info

  const fs::path plugin_dir = positional[0];
  core::PluginRegistry registry;
  for (const char* plugin : {"mcpauth_oauth21.so", "mcpauth_sqlite.so", "mcpauth_memory.so"})
    if (!registry.load(plugin_dir / plugin)) {
      std::cerr << "credentials_bench: cannot load " << (plugin_dir / plugin).string() << ": "
                << registry.rejections().back().reason << "\n";
      return 1;
    }
  const fs::path dir = fs::temp_directory_path() / ("mcpauth-credentials-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  int status = 0;
  try {
    FigureFile figures(json_path);
    std::printf(
        "get_credentials of oauth21 with a valid cached token, ns per call; %zu calls per thread "
        "(batches of %zu; single: each call timed alone); %u cores\n\n",
        calls, kBatch, std::thread::hardware_concurrency());
    std::printf(
        "| store | threads | batch median | batch p99 | single median | single p99 | single p99.9 | "
        "single max µs | CPUs busy | load average before |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (const char* storage : {"sqlite", "memory"}) bench_storage(registry, storage, dir, calls, figures);
  } catch (const std::exception& e) {
    std::cerr << "credentials_bench: " << e.what() << "\n";
    status = 1;
  }
  fs::remove_all(dir);
  return status;
}
