// Merging an overrides tree over a defaults tree.
#pragma once

#include <Poco/JSON/Object.h>

namespace mcpauth::config {

// Merges `over` into `base`: objects merge key by key, recursively; arrays and scalars
// replace; a null removes the key (a whole server when at the top level). Values are
// copied, so `base` shares nothing with `over` afterwards.
void deep_merge(Poco::JSON::Object& base, const Poco::JSON::Object& over);

}  // namespace mcpauth::config
