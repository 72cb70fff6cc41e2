// `mcpauth config schema`: the plugins' config schemas as a Markdown reference, or as JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mcpauth::cli {

// What the reference shows of one plugin (from its ABI descriptor).
struct PluginSchema {
  std::string id;
  uint32_t kinds = 0;  // MCPAUTH_KIND_* bits
  std::string version;
  std::string description;
  std::string schema_json;  // the plugin's config_schema, a JSON Schema the host has compiled
};

// A plugin's kinds as words: "auth", "storage", or both joined by separator.
std::string kind_names(uint32_t kinds, const std::string& separator);

// The whole reference: a header saying how it is generated, an index, then one section per plugin
// in the order given. Throws std::invalid_argument naming the plugin when a schema is not JSON.
std::string markdown_reference(const std::vector<PluginSchema>& plugins);

// One plugin's section: id, kinds, version, description, and a table of its fields (nested
// objects as parent.child, objects in arrays as parent[].child).
std::string markdown_section(const PluginSchema& plugin);

// The schema, pretty-printed with its keys in the plugin's order.
std::string schema_json(const PluginSchema& plugin);

// An object of id -> schema, in the order given.
std::string schemas_json(const std::vector<PluginSchema>& plugins);

}  // namespace mcpauth::cli
