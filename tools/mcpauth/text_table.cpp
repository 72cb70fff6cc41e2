#include "text_table.h"

#include <algorithm>

namespace mcpauth::cli {
namespace {

constexpr size_t kGap = 2;

void print_row(std::ostream& out, const TextRow& row, const std::vector<size_t>& widths) {
  for (size_t column = 0; column < row.size(); ++column) {
    out << row[column];
    if (column + 1 < row.size()) out << std::string(widths[column] + kGap - row[column].size(), ' ');
  }
  out << "\n";
}

}  // namespace

void print_text_table(std::ostream& out, const TextRow& headings, const std::vector<TextRow>& rows) {
  std::vector<size_t> widths;
  auto widen = [&widths](const TextRow& row) {
    if (widths.size() < row.size()) widths.resize(row.size());
    for (size_t column = 0; column < row.size(); ++column) widths[column] = std::max(widths[column], row[column].size());
  };
  widen(headings);
  for (const auto& row : rows) widen(row);
  print_row(out, headings, widths);
  for (const auto& row : rows) print_row(out, row, widths);
}

}  // namespace mcpauth::cli
