// The server of `--url URL`: one that is not in the configuration, signed in to with oauth21.
#pragma once

#include "cli.h"

#include "mcpauth/config/config.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mcpauth::cli {

// "adhoc-<host>-<first 8 hex digits of sha256(url)>", cut and cleaned to a valid server name, so
// login, logout and status with the same URL find the same stored tokens. Throws UsageError when
// url is not an http:// or https:// URL with a host.
std::string adhoc_server_name(const std::string& url);

// auth: oauth21 with the options given and callback_port (the client secret from
// --client-secret, else from $MCPAUTH_CLIENT_SECRET). storage: the configuration's default_storage when settings has
// one, else the sqlite file of the shipped configuration, ~/.local/share/mcpauth/tokens.db. settings may be null (no
// configuration).
config::ServerConfig adhoc_server(const AdhocServerOptions& options, std::optional<uint16_t> callback_port,
                                  const config::Settings* settings);

}  // namespace mcpauth::cli
