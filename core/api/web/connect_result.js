// After a Connect, mcpauth sends the browser back to this page with the outcome in the query:
// mcp_auth_server=<server> and mcp_auth_success=1 or mcp_auth_error=<code>. This turns it into a
// message and takes it out of the address bar, so a reload or a bookmark does not repeat it.

const PARAMETERS = ['mcp_auth_server', 'mcp_auth_success', 'mcp_auth_error'];

// mcpauth's own codes, then the OAuth ones a person can act on; other OAuth codes are named as is.
const EXPLANATIONS = {
  session_unavailable: 'this browser’s sign-in session was missing (are cookies blocked?). Start again with Connect.',
  discovery_failed: 'the server’s authorization server could not be found or reached.',
  missing_params: 'the answer from the authorization server was incomplete.',
  invalid_state: 'the sign-in had expired, was already used, or was started elsewhere. Start again with Connect.',
  not_authorized: 'you are not allowed to use this server.',
  token_exchange_failed: 'the authorization server did not issue a token.',
  access_denied: 'access was denied at the authorization server.',
  unknown_error: 'the authorization server reported an unknown error.',
};

function explain(code) {
  if (!code) return 'no reason was given.';
  return EXPLANATIONS[code] ?? `the authorization server answered “${code.slice(0, 100)}”.`;
}

/** { kind, text } for the outcome in the address, or null when there is none; cleans the address. */
export function takeConnectResult() {
  const url = new URL(window.location.href);
  const query = url.searchParams;
  if (!PARAMETERS.some((name) => query.has(name))) return null;
  const server = query.get('mcp_auth_server') || 'the server';
  const error = query.get('mcp_auth_error');
  const success = query.get('mcp_auth_success') === '1' && error === null;
  for (const name of PARAMETERS) query.delete(name);
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);

  if (success) return { kind: 'success', text: `Connected to ${server}: you are signed in.` };
  const code = error ? ` (error code: ${error.slice(0, 100)})` : '';
  return { kind: 'error', text: `Could not connect to ${server}: ${explain(error)}${code}` };
}
