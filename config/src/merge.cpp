#include "mcpauth/config/merge.h"

#include "mcpauth/config/json_tree.h"

namespace mcpauth::config {

void deep_merge(Poco::JSON::Object& base, const Poco::JSON::Object& over) {
  for (const auto& [key, value] : over) {
    if (value.isEmpty()) {
      base.remove(key);
      continue;
    }
    auto base_object = as_object(base.get(key));
    auto over_object = as_object(value);
    if (base_object && over_object) {
      deep_merge(*base_object, *over_object);
    } else {
      base.set(key, deep_copy(value));
    }
  }
}

}  // namespace mcpauth::config
