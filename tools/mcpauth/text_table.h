// Plain-text tables for the terminal (`config check`, `status`, `plugins`): each column as wide as
// its widest cell plus two spaces, so long server or plugin ids never run into the next column.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcpauth::cli {

using TextRow = std::vector<std::string>;

// The headings, then the rows (each with as many cells as there are headings); the last column is
// not padded.
void print_text_table(std::ostream& out, const TextRow& headings, const std::vector<TextRow>& rows);

}  // namespace mcpauth::cli
