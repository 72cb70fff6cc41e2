// Key listings in a comparable form.
#pragma once

#include "mcpauth/core/instances.h"

#include <string>
#include <vector>

namespace contract {

std::vector<std::string> sorted(std::vector<std::string> keys);

// store.list(prefix), sorted (the plugin may list in any order).
std::vector<std::string> sorted_list(const mcpauth::core::StorageInstance& store, const std::string& prefix);

}  // namespace contract
