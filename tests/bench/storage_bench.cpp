// get and put latency of a storage plugin, loaded through the real host, with N entries stored.
// Usage: storage_bench PLUGIN.so CONFIG_JSON ENTRIES [SAMPLES]
//   CONFIG_JSON may contain @DIR@, replaced by a fresh temporary directory (removed afterwards).
// Prints one line: "<plugin> <entries> get_median_us get_p99_us put_median_us put_p99_us".
#include "mcpauth/core/instances.h"
#include "mcpauth/core/plugin_registry.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

namespace fs = std::filesystem;
using namespace mcpauth::core;
using Clock = std::chrono::steady_clock;

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

double percentile(std::vector<double> samples, double fraction) {
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, static_cast<size_t>(fraction * static_cast<double>(samples.size())))];
}

std::string key_of(size_t i) { return "user" + std::to_string(i) + "@example.com/oauth_tokens"; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: storage_bench PLUGIN.so CONFIG_JSON ENTRIES [SAMPLES]\n";
    return 2;
  }
  const size_t entries = std::stoul(argv[3]);
  const size_t samples = argc > 4 ? std::stoul(argv[4]) : 5000;
  fs::path dir = fs::temp_directory_path() / ("mcpauth-storage-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  PluginRegistry registry;
  if (!registry.load(argv[1])) {
    std::cerr << "cannot load " << argv[1] << ": " << registry.rejections().back().reason << "\n";
    return 1;
  }
  auto plugin = registry.plugins().front();
  std::string config = replace_all(argv[2], "@DIR@", dir.string());
  {
    StorageInstance store(plugin, InstanceSpec{"bench", "", config});
    // A token-sized value, as the auth plugins store (JSON with an access and a refresh token).
    const Bytes value(1024, 'v');
    for (size_t i = 0; i < entries; ++i) store.put(key_of(i), value);

    std::mt19937_64 random(42);
    std::uniform_int_distribution<size_t> pick(0, entries - 1);
    std::vector<double> get_us, put_us;
    for (size_t i = 0; i < samples; ++i) {
      std::string key = key_of(pick(random));
      auto start = Clock::now();
      auto found = store.get(key);
      get_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      if (!found) return 1;
    }
    for (size_t i = 0; i < samples; ++i) {
      std::string key = key_of(pick(random));
      auto start = Clock::now();
      store.put(key, value);
      put_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    std::printf("%s %zu %.2f %.2f %.2f %.2f\n", plugin->id().c_str(), entries, percentile(get_us, 0.5),
                percentile(get_us, 0.99), percentile(put_us, 0.5), percentile(put_us, 0.99));
  }
  fs::remove_all(dir);
  return 0;
}
