// Calls to mcpauth's HTTP API (the Atlas UI 3 compatible routes). Who the user is comes from the
// reverse proxy in front of mcpauth, not from this page. Every failure is thrown as an ApiError
// whose message is the server's own "detail", ready to be shown.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // 0: no answer at all
  }
}

async function request(method, path, body) {
  const init = { method, headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'mcpauth could not be reached. Check your connection and reload the page.');
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = typeof data?.detail === 'string' && data.detail ? data.detail : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, detail);
  }
  return data;
}

// Server names are URL-safe already; encoding keeps a path segment a path segment regardless.
const segment = encodeURIComponent;

// { servers: [...], user } — the servers this user may use and their sign-in state.
export const authStatus = () => request('GET', '/api/mcp/auth/status');
export const saveUserToken = (server, token) => request('POST', `/api/mcp/auth/${segment(server)}/token`, { token });
export const removeUserToken = (server) => request('DELETE', `/api/mcp/auth/${segment(server)}/token`);

// Admin only: 403 for everyone else.
export const adminJwtList = () => request('GET', '/admin/mcp/jwt/list');
export const adminJwtStatus = (server) => request('GET', `/admin/mcp/${segment(server)}/jwt`);
export const uploadAdminJwt = (server, jwt) => request('POST', `/admin/mcp/${segment(server)}/jwt`, { jwt_token: jwt });
export const deleteAdminJwt = (server) => request('DELETE', `/admin/mcp/${segment(server)}/jwt`);
