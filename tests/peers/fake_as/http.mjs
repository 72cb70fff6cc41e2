// Small node:http helpers shared by the fake AS handlers.
import http from 'node:http';

// An OAuth error response (RFC 6749 section 5.2 shape) thrown by handlers and sent by the router.
export class OAuthError extends Error {
  constructor(error, description, status = 400) {
    super(description ?? error);
    this.error = error;
    this.description = description;
    this.status = status;
  }
}

export function sendJson(res, status, body, headers = {}) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': data.length,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(data);
}

export function sendOAuthError(res, err) {
  const body = { error: err.error };
  if (err.description) body.error_description = err.description;
  sendJson(res, err.status, body);
}

export function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export function redirect(res, location) {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

// One value of a query or form parameter; a repeated parameter is invalid (RFC 6749 section 3.1).
export function single(params, name) {
  const value = params?.[name];
  if (Array.isArray(value)) throw new OAuthError('invalid_request', `parameter "${name}" repeated`);
  return value === '' ? undefined : value;
}

// Every value of a parameter that may repeat (RFC 8707 resource), as an array.
export function all(params, name) {
  const value = params?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function isLoopbackHost(hostname) {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

export async function listenOnLoopback(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
