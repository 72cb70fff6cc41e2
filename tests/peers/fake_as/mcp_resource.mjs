// The protected MCP endpoint: a minimal Streamable HTTP server (JSON-RPC over POST) behind
// Bearer token checks, answering 401 / 403 challenges the way RFC 6750 and RFC 9728 describe.
import { randomUUID } from 'node:crypto';
import { sendJson } from './http.mjs';

const PROTOCOL_VERSION = '2025-11-25';
const SERVER_INFO = { name: 'fake-as-mcp', version: '1.0.0' };
const WHOAMI_TOOL = {
  name: 'whoami',
  description: 'Tells which client and scopes the access token carries',
  inputSchema: { type: 'object', properties: {} },
};

export function handleMcp(req, res, ctx) {
  const auth = checkAccessToken(req, ctx);
  if (!auth.token) return sendChallenge(res, 401, ctx, auth);
  if (req.method === 'DELETE') {
    ctx.sessions.delete(req.headers['mcp-session-id']);
    return sendJson(res, 200, {});
  }
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' }, { Allow: 'POST, DELETE' });
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return sendRpcError(res, 406, null, -32000, 'Not Acceptable: accept application/json and text/event-stream');
  }
  if (!req.headers['content-type']?.startsWith('application/json')) {
    return sendRpcError(res, 415, null, -32000, 'Unsupported Media Type: use application/json');
  }
  const message = req.body;
  if (!message || typeof message !== 'object' || Array.isArray(message)) {
    return sendRpcError(res, 400, null, -32700, 'Parse error: one JSON-RPC message expected');
  }
  if (message.method === 'initialize') return initialize(res, message, ctx);

  const sessionId = req.headers['mcp-session-id'];
  if (!sessionId) return sendRpcError(res, 400, message.id ?? null, -32000, 'Bad Request: Mcp-Session-Id header is required');
  if (!ctx.sessions.has(sessionId)) return sendRpcError(res, 404, message.id ?? null, -32001, 'Session not found');
  // Notifications and responses get no answer.
  if (message.id === undefined || message.method === undefined) {
    res.writeHead(202);
    return res.end();
  }
  return dispatch(res, message, auth.token, ctx);
}

// Returns { token } for a usable token, else { error, description } (error null: no token sent).
function checkAccessToken(req, ctx) {
  const match = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) {
    return ctx.options.unauthorizedWithInvalidToken
      ? { error: 'invalid_token', description: 'Missing or invalid access token' }
      : { error: null };
  }
  const token = ctx.store.accessTokens.get(match[1]);
  const invalid = (description) => ({ error: 'invalid_token', description });
  if (!token || token.revoked) return invalid('The access token is unknown or revoked');
  // A comma inside a quoted string: challenge parsers must cope.
  if (Date.now() >= token.expiresAt) return invalid('The access token expired, refresh it');
  if (token.resource !== null && token.resource !== ctx.layout.mcpUrl) return invalid('Wrong audience');
  return { token };
}

function sendChallenge(res, status, ctx, { error, description, scope = ctx.options.challengeScope }) {
  const quoted = (name, value) => `${name}="${value.replace(/["\\]/g, '\\$&')}"`;
  const params = [];
  if (error) params.push(quoted('error', error), quoted('error_description', description));
  const metadata = ctx.layout.prmUrl && ctx.options.challengeResourceMetadata
    ? [quoted('resource_metadata', ctx.layout.prmUrl)]
    : [];
  const scopes = scope ? [quoted('scope', scope)] : [];
  params.push(...(ctx.options.challengeParamOrder === 'scope-first' ? [...scopes, ...metadata] : [...metadata, ...scopes]));
  const header = params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
  sendJson(res, status, { error: error ?? 'unauthorized' }, { 'WWW-Authenticate': header });
}

function initialize(res, message, ctx) {
  const sessionId = randomUUID();
  ctx.sessions.add(sessionId);
  sendRpcResult(res, ctx, message.id, {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: { tools: {} },
    serverInfo: SERVER_INFO,
  }, { 'Mcp-Session-Id': sessionId });
}

function dispatch(res, message, token, ctx) {
  switch (message.method) {
    case 'ping':
      return sendRpcResult(res, ctx, message.id, {});
    case 'tools/list':
      return sendRpcResult(res, ctx, message.id, { tools: [WHOAMI_TOOL] });
    case 'tools/call':
      return callTool(res, message, token, ctx);
    default:
      return sendRpcError(res, 200, message.id, -32601, `Method not found: ${message.method}`);
  }
}

function callTool(res, message, token, ctx) {
  const name = message.params?.name;
  if (name !== WHOAMI_TOOL.name) return sendRpcError(res, 200, message.id, -32602, `Unknown tool: ${name}`);
  const required = ctx.options.insufficientScopeFor?.[name];
  const held = new Set(token.scope.split(' '));
  if (required && required.split(' ').some((s) => !held.has(s))) {
    return sendChallenge(res, 403, ctx, {
      error: 'insufficient_scope',
      description: `${name} needs scope ${required}`,
      scope: required,
    });
  }
  const text = JSON.stringify({ client_id: token.clientId, scope: token.scope });
  sendRpcResult(res, ctx, message.id, { content: [{ type: 'text', text }] });
}

function sendRpcResult(res, ctx, id, result, headers = {}) {
  const message = { jsonrpc: '2.0', id, result };
  if (ctx.options.mcpResponseFormat === 'sse') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', ...headers });
    return res.end(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }
  sendJson(res, 200, message, headers);
}

function sendRpcError(res, status, id, code, text) {
  sendJson(res, status, { jsonrpc: '2.0', id, error: { code, message: text } });
}
