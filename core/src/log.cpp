#include "mcpauth/core/log.h"

#include "mcpauth/core/redact.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>

namespace mcpauth::core {
namespace {

std::atomic<LogLevel> threshold{LogLevel::info};
std::mutex write_mutex;

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "?";
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return buffer;
}

}  // namespace

void set_log_level(LogLevel level) { threshold = level; }
LogLevel log_level() { return threshold; }

LogLevel parse_log_level(std::string_view name) {
  for (LogLevel level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error})
    if (name == level_name(level)) return level;
  throw std::invalid_argument("unknown log level '" + std::string(name) + "' (use debug, info, warn or error)");
}

void log(LogLevel level, std::string_view component, std::string_view message) {
  if (level < threshold.load()) return;
  std::string line =
      timestamp() + " " + level_name(level) + " " + std::string(component) + ": " + redact(message) + "\n";
  std::lock_guard lock(write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace mcpauth::core
