// The admin web page: the files of core/api/web, embedded at build time by web/embed.cmake.
#include "web_assets.h"

#include <map>
#include <optional>
#include <string_view>

namespace mcpauth::api {

// Defined in the source that web/embed.cmake generates (core/api/CMakeLists.txt includes that
// snippet): file name -> content.
std::map<std::string, std::string> embedded_web_files();

namespace {

constexpr std::string_view kAssetPrefix = "/assets/";
constexpr const char* kPage = "index.html";

// The embedded file a request path names. The page has two addresses and no other: never
// /assets/index.html. Names in the table are plain file names, so "/assets/../x" names nothing.
std::optional<std::string> file_name(const std::string& path) {
  if (path == "/" || path == "/admin") return kPage;
  if (!path.starts_with(kAssetPrefix)) return std::nullopt;
  std::string name = path.substr(kAssetPrefix.size());
  if (name == kPage) return std::nullopt;
  return name;
}

}  // namespace

const std::string* find_web_asset(const std::string& path) {
  static const std::map<std::string, std::string> files = embedded_web_files();
  const std::optional<std::string> name = file_name(path);
  if (!name) return nullptr;
  const auto found = files.find(*name);
  return found == files.end() ? nullptr : &found->second;
}

}  // namespace mcpauth::api
