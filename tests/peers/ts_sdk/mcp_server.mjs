// The MCP side of the TS SDK peer: an McpServer per session behind StreamableHTTPServerTransport,
// guarded by the SDK's requireBearerAuth so 401/403 answers are the SDK's own.
import { randomUUID } from 'node:crypto';
import express from 'express';
import * as z from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const SESSION_NOT_FOUND = { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null };
const SESSION_REQUIRED = { jsonrpc: '2.0', error: { code: -32000, message: 'Mcp-Session-Id header is required' }, id: null };

function createMcpServer() {
  const server = new McpServer({ name: 'mcpauth-ts-sdk-peer', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'The OAuth client and scopes of the access token used for this call' },
    async (extra) => {
      const { clientId, scopes } = extra.authInfo;
      return { content: [{ type: 'text', text: JSON.stringify({ clientId, scopes }) }] };
    },
  );
  server.registerTool(
    'echo',
    { description: 'Returns its input', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

function callsTool(body, name) {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) => m?.method === 'tools/call' && m.params?.name === name);
}

/**
 * Express router serving POST/GET/DELETE on `path` (mount it at the app root).
 * @param {object} o
 * @param {string} o.path                  e.g. '/mcp'
 * @param {object} o.verifier              has verifyAccessToken(token)
 * @param {string} o.resourceMetadataUrl   advertised in WWW-Authenticate
 * @param {URL} [o.expectedResource]       tokens must be bound to this resource
 * @param {string} [o.requiredScope]       scope the `whoami` tool call needs (403 otherwise)
 * @returns {{ router: express.Router, close: () => Promise<void> }}
 */
export function createMcpEndpoint({ path, verifier, resourceMetadataUrl, expectedResource, requiredScope }) {
  const transports = new Map(); // Mcp-Session-Id -> transport
  const router = express.Router();
  const bearer = (requiredScopes) =>
    requireBearerAuth({ verifier, requiredScopes, resourceMetadataUrl, expectedResource });
  const whoamiGate = requiredScope ? bearer([requiredScope]) : null;

  router.use(path, bearer([]));
  if (whoamiGate) {
    // A second, scoped check only for the `whoami` call, answered by the SDK (403 insufficient_scope).
    router.post(path, (req, res, next) => (callsTool(req.body, 'whoami') ? whoamiGate(req, res, next) : next()));
  }

  router.all(path, async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = sessionId && transports.get(sessionId);
    if (sessionId && !transport) {
      res.status(404).json(SESSION_NOT_FOUND);
      return;
    }
    if (!transport) {
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        res.status(400).json(SESSION_REQUIRED);
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transports.delete(transport.sessionId);
      await createMcpServer().connect(transport);
    }
    await transport.handleRequest(req, res, req.body);
  });

  async function close() {
    await Promise.all([...transports.values()].map((t) => t.close()));
  }
  return { router, close };
}
