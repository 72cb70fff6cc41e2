// `mcpauth tools`: the tools an MCP server offers, as a table (or JSON with --json).
#include "commands.h"
#include "mcp_connection.h"
#include "terminal_text.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <set>

namespace mcpauth::cli {
namespace {

// A server that keeps handing out cursors is not to keep us paging forever.
constexpr int kMaxPages = 1000;
// One very long name should not push every description off the screen.
constexpr std::size_t kMaxNameColumn = 40;

// Every page of tools/list, following nextCursor.
Poco::JSON::Array::Ptr list_tools(McpConnection& connection) {
  Poco::JSON::Array::Ptr tools = new Poco::JSON::Array;
  std::set<std::string> cursors_seen;
  Poco::JSON::Object::Ptr params;
  for (int page = 0; page < kMaxPages; ++page) {
    const Poco::JSON::Object::Ptr result = connection.request("tools/list", params);
    if (const Poco::JSON::Array::Ptr listed = result->getArray("tools"))
      for (const Poco::Dynamic::Var& tool : *listed) tools->add(tool);
    const std::string cursor = result->optValue<std::string>("nextCursor", "");
    if (cursor.empty()) return tools;
    if (!cursors_seen.insert(cursor).second)
      throw std::runtime_error("the server handed out the same tools/list cursor twice");
    params = new Poco::JSON::Object;
    params->set("cursor", cursor);
  }
  throw std::runtime_error("the server's tool list goes on past " + std::to_string(kMaxPages) + " pages");
}

std::string first_line(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  const std::size_t end = text.find_first_of("\r\n", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void print_table(const Poco::JSON::Array& tools) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Poco::Dynamic::Var& item : tools) {
    if (item.type() != typeid(Poco::JSON::Object::Ptr)) continue;
    const Poco::JSON::Object::Ptr tool = item.extract<Poco::JSON::Object::Ptr>();
    rows.emplace_back(terminal_safe(tool->optValue<std::string>("name", "")),
                      terminal_safe(first_line(tool->optValue<std::string>("description", ""))));
  }
  std::size_t width = 4;  // "NAME"
  for (const auto& row : rows) width = std::max(width, std::min(row.first.size(), kMaxNameColumn));
  std::cout << std::left << std::setw(static_cast<int>(width)) << "NAME"
            << "  DESCRIPTION\n";
  for (const auto& [name, description] : rows)
    std::cout << std::left << std::setw(static_cast<int>(width)) << name << "  " << description << "\n";
}

}  // namespace

int run_tools(const Invocation& invocation) {
  const McpCommandLine line = split_mcp_command_line(invocation);
  if (!line.arguments.empty()) throw UsageError("'tools' takes only a server name or --url URL");
  McpConnection connection(line.target);
  const Poco::JSON::Array::Ptr tools = list_tools(connection);
  if (invocation.options.json) {
    tools->stringify(std::cout, 2);
    std::cout << std::endl;
  } else if (tools->size() == 0) {
    std::cout << "'" << connection.server_name() << "' offers no tools\n";
  } else {
    print_table(*tools);
  }
  return 0;
}

}  // namespace mcpauth::cli
