#!/bin/sh
# $BROWSER for the end-to-end tests: mcpauth runs it with the authorization URL as one argument.
exec node "$(dirname "$0")/browser_standin.mjs" "$@"
