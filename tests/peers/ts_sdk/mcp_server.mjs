// The MCP side of the TS SDK peer: an McpServer per session behind StreamableHTTPServerTransport,
// guarded by the SDK's requireBearerAuth so 401/403 answers are the SDK's own.
import { randomUUID } from 'node:crypto';
import express from 'express';
import * as z from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const SESSION_NOT_FOUND = { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null };
const SESSION_REQUIRED = { jsonrpc: '2.0', error: { code: -32000, message: 'Mcp-Session-Id header is required' }, id: null };

// resumable: also the `poll_me` tool, which needs an event store.
function createMcpServer({ resumable = false } = {}) {
  const server = new McpServer({ name: 'mcpauth-ts-sdk-peer', version: '1.0.0' }, { capabilities: { logging: {} } });
  server.registerTool(
    'whoami',
    { description: 'The OAuth client, grant and scopes of the access token used for this call' },
    async (extra) => {
      const { clientId, scopes } = extra.authInfo;
      const grantId = extra.authInfo.extra?.grantId; // one per sign-in: tells users apart
      return { content: [{ type: 'text', text: JSON.stringify({ clientId, grantId, scopes }) }] };
    },
  );
  server.registerTool(
    'echo',
    { description: 'Returns its input', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'count',
    {
      description: 'Sends `n` log notifications `delayMs` apart on the call\'s stream, then answers `n`',
      inputSchema: { n: z.number().int().min(0).max(1000), delayMs: z.number().int().min(0).max(10000) },
    },
    async ({ n, delayMs }, extra) => {
      for (let i = 1; i <= n; i++) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: `tick ${i}` } });
      }
      return { content: [{ type: 'text', text: String(n) }] };
    },
  );
  server.registerTool(
    'hang_up',
    { description: 'Sends one notification, then the server drops the connection before answering' },
    async (extra) => {
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'about to hang up' } });
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return { content: [{ type: 'text', text: 'too late' }] };
    },
  );
  if (resumable) {
    server.registerTool(
      'poll_me',
      {
        description:
          'Sends a notification, closes the call\'s stream (the client must resume it with Last-Event-ID), ' +
          'sends another and answers "polled"; needs a resumable endpoint',
      },
      async (extra) => {
        if (!extra.closeSSEStream) throw new Error('this endpoint cannot close a stream for polling');
        await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'before the break' } });
        extra.closeSSEStream();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'after the break' } });
        return { content: [{ type: 'text', text: 'polled' }] };
      },
    );
  }
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
 * @param {boolean} [o.stateless=false]    no sessions: a new server and transport for each request
 * @param {boolean} [o.jsonResponse=false] answer POSTs with application/json instead of an SSE stream
 * @param {boolean} [o.resumable=false]    stateful only: SSE events carry ids from an in-memory event
 *                                         store, streams can be resumed, and clients wait 200 ms to
 *                                         resume (retry)
 * @param {string} [o.legacySsePath]       also serve the old HTTP+SSE transport: GET here opens the
 *                                         stream, whose `endpoint` event names `${legacySsePath}/messages`
 * @returns {{ router: express.Router, close: () => Promise<void>, forgetSessions: () => Promise<void>,
 *            sessionCount: () => number }}
 */
export function createMcpEndpoint({
  path,
  verifier,
  resourceMetadataUrl,
  expectedResource,
  requiredScope,
  stateless = false,
  jsonResponse = false,
  resumable = false,
  legacySsePath,
}) {
  const transports = new Map(); // Mcp-Session-Id -> transport
  const router = express.Router();
  const bearer = (requiredScopes) =>
    requireBearerAuth({ verifier, requiredScopes, resourceMetadataUrl, expectedResource });
  const whoamiGate = requiredScope ? bearer([requiredScope]) : null;

  router.use(path, bearer([]), express.json({ limit: '4mb' }));
  if (whoamiGate) {
    // A second, scoped check only for the `whoami` call, answered by the SDK (403 insufficient_scope).
    router.post(path, (req, res, next) => (callsTool(req.body, 'whoami') ? whoamiGate(req, res, next) : next()));
  }

  router.all(path, async (req, res) => {
    // hang_up: the connection drops while the call's SSE stream is open.
    if (req.method === 'POST' && callsTool(req.body, 'hang_up')) setTimeout(() => req.socket.destroy(), 300);
    if (stateless) {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: jsonResponse });
      res.on('close', () => transport.close());
      await createMcpServer().connect(transport);
      await transport.handleRequest(req, res, req.body);
      return;
    }
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
        enableJsonResponse: jsonResponse,
        ...(resumable ? { eventStore: new InMemoryEventStore(), retryInterval: 200 } : {}),
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transports.delete(transport.sessionId);
      await createMcpServer({ resumable }).connect(transport);
    }
    await transport.handleRequest(req, res, req.body);
  });

  const legacyTransports = new Map(); // sessionId query parameter -> SSEServerTransport
  if (legacySsePath) {
    router.use(legacySsePath, bearer([]));
    router.get(legacySsePath, async (req, res) => {
      const transport = new SSEServerTransport(`${legacySsePath}/messages`, res);
      legacyTransports.set(transport.sessionId, transport);
      res.on('close', () => legacyTransports.delete(transport.sessionId));
      await createMcpServer().connect(transport);
    });
    router.post(`${legacySsePath}/messages`, express.json({ limit: '4mb' }), async (req, res) => {
      const transport = legacyTransports.get(String(req.query.sessionId ?? ''));
      if (!transport) {
        res.status(404).json(SESSION_NOT_FOUND);
        return;
      }
      await transport.handlePostMessage(req, res, req.body);
    });
  }

  // As a restarted server would: every Streamable HTTP session is gone (their ids now get 404).
  async function forgetSessions() {
    await Promise.all([...transports.values()].map((t) => t.close()));
  }
  async function close() {
    await Promise.all([...transports.values(), ...legacyTransports.values()].map((t) => t.close()));
  }
  return { router, close, forgetSessions, sessionCount: () => transports.size };
}
