// The two entry points: finding the files, and the steps each file goes through.
#include "mcpauth/config/build.h"
#include "mcpauth/config/check.h"
#include "mcpauth/config/config.h"
#include "mcpauth/config/document.h"
#include "mcpauth/config/expand.h"
#include "mcpauth/config/merge.h"

#include <filesystem>
#include <utility>

namespace mcpauth::config {
namespace {

namespace fs = std::filesystem;

struct Source {
  std::string path;
  Format format;
  bool is_override;
};

// Parse, expand ${VAR}, check, resolve plugin_dirs: everything that must know which file a
// value came from happens before merging.
Poco::JSON::Object::Ptr prepare(std::string_view text, const Source& source, Context& ctx) {
  auto root = parse_document(text, source.path, source.format);
  expand_env(*root, source.path, ctx);
  check_document(*root, source.path, source.is_override, ctx);
  resolve_plugin_dirs(*root, source.path, ctx);
  return root;
}

// `texts[i]` is the content of `sources[i]`; later sources override earlier ones.
Config assemble(const std::vector<Source>& sources, const std::vector<std::string>& texts, Context& ctx) {
  Poco::JSON::Object merged;
  std::map<std::string, std::string> origins;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto root = prepare(texts[i], sources[i], ctx);
    deep_merge(merged, *root);
    for (const auto& [key, value] : *root) {
      if (!value.isEmpty()) origins[key] = sources[i].path;
    }
  }
  Config config = build_config(merged, origins, ctx);
  for (const auto& source : sources) config.files.push_back(source.path);
  config.warnings = std::move(ctx.warnings);
  return config;
}

// <dir>/mcp.json, mcp.yaml or mcp.yml; more than one of them is ambiguous.
std::optional<Source> find_in(const fs::path& dir, bool is_override) {
  std::optional<Source> found;
  for (const char* name : {"mcp.json", "mcp.yaml", "mcp.yml"}) {
    const fs::path path = dir / name;
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    if (found) {
      throw ConfigError({dir.string()}, "ambiguous configuration: both " + fs::path(found->path).filename().string() +
                                            " and " + name + " exist; keep only one");
    }
    found = Source{path.string(), format_for_path(path.string()), is_override};
  }
  return found;
}

std::vector<Source> find_sources(const LoadOptions& options) {
  if (options.config_file) return {{*options.config_file, format_for_path(*options.config_file), false}};
  std::vector<Source> sources;
  const fs::path defaults = fs::path(options.config_dir) / "defaults";
  const fs::path overrides = fs::path(options.config_dir) / "overrides";
  if (auto source = find_in(defaults, false)) sources.push_back(*source);
  if (auto source = find_in(overrides, true)) sources.push_back(*source);
  if (sources.empty()) {
    throw ConfigError({}, "no configuration file found: looked for mcp.json, mcp.yaml and mcp.yml in " +
                              defaults.string() + " and " + overrides.string());
  }
  return sources;
}

}  // namespace

Config load_config(const LoadOptions& options) {
  Context ctx = make_context(options);
  const std::vector<Source> sources = find_sources(options);
  std::vector<std::string> texts;
  for (const auto& source : sources) texts.push_back(read_file(source.path));
  return assemble(sources, texts, ctx);
}

Config parse_config_text(std::string_view text, std::string_view file_name_for_messages, Format format,
                         const LoadOptions& options) {
  Context ctx = make_context(options);
  return assemble({{std::string(file_name_for_messages), format, false}}, {std::string(text)}, ctx);
}

}  // namespace mcpauth::config
