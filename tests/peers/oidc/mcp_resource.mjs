// The MCP resource server trusting the oidc-provider peer: Protected Resource Metadata
// (RFC 9728) naming the issuer, and Streamable HTTP MCP behind the SDK's bearer middleware, with
// access tokens verified as RFC 9068 JWTs (issuer, audience = canonical MCP URL, expiry).
import { randomUUID } from 'node:crypto';
import express from 'express';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/**
 * @param {object} p
 * @param {string} p.mcpUrl          canonical MCP endpoint URL (origin + '/mcp')
 * @param {string} p.issuer          the only trusted issuer
 * @param {object} p.publicJwks      the issuer's verification keys
 * @param {string[]} p.scopes        PRM scopes_supported
 * @param {string[]} p.requiredScopes scopes every request must carry (403 insufficient_scope otherwise)
 * @param {object} p.log             request log (lib/http_log.mjs)
 * @returns {{ app: import('express').Express, prmUrl: string, closeSessions: () => Promise<void> }}
 */
export function createMcpResource({ mcpUrl, issuer, publicJwks, scopes, requiredScopes, log }) {
  const prmUrl = getOAuthProtectedResourceMetadataUrl(new URL(mcpUrl));
  const sessions = new Map();

  const app = express();
  app.use(log.middleware());

  app.get(new URL(prmUrl).pathname, (req, res) => {
    res.json(protectedResourceMetadata({ mcpUrl, issuer, scopes, name: 'mcpauth oidc-provider test peer' }));
  });

  app.all(
    new URL(mcpUrl).pathname,
    requireBearerAuth({
      verifier: jwtVerifier({ issuer, audience: mcpUrl, publicJwks }),
      requiredScopes,
      resourceMetadataUrl: prmUrl,
      expectedResource: new URL(mcpUrl),
    }),
    (req, res) => handleMcp(sessions, req, res),
  );

  return {
    app,
    prmUrl,
    closeSessions: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
    },
  };
}

// The Protected Resource Metadata (RFC 9728) of `mcpUrl`, naming `issuer` as its only AS.
export function protectedResourceMetadata({ mcpUrl, issuer, scopes, name }) {
  return {
    resource: mcpUrl,
    authorization_servers: [issuer],
    scopes_supported: scopes,
    bearer_methods_supported: ['header'],
    resource_name: name,
  };
}

// A verifier for the SDK's requireBearerAuth: RFC 9068 JWTs of `issuer` for `audience`.
export function jwtVerifier({ issuer, audience, publicJwks }) {
  const keys = createLocalJWKSet(publicJwks);
  return {
    async verifyAccessToken(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer, audience, typ: 'at+jwt', algorithms: ['RS256'],
        }));
      } catch (err) {
        throw new InvalidTokenError(`access token rejected: ${err.code ?? err.message}`);
      }
      return {
        token,
        clientId: payload.client_id,
        scopes: payload.scope ? payload.scope.split(' ') : [],
        expiresAt: payload.exp,
        resource: new URL(audience),
        extra: { sub: payload.sub },
      };
    },
  };
}

// Stateful Streamable HTTP: one transport + McpServer per Mcp-Session-Id, as the SDK examples do.
async function handleMcp(sessions, req, res) {
  const sessionId = req.get('mcp-session-id');
  if (sessionId) {
    const transport = sessions.get(sessionId);
    if (!transport) {
      res.status(404).json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
      return;
    }
    await transport.handleRequest(req, res, req.body);
    return;
  }

  if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
    res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null });
    return;
  }

  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => sessions.set(id, transport),
  });
  transport.onclose = () => sessions.delete(transport.sessionId);
  await createMcpServer().connect(transport);
  await transport.handleRequest(req, res, req.body);
}

function createMcpServer() {
  const server = new McpServer({ name: 'mcpauth-oidc-peer', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'The subject, client and scope of the access token this request carried' },
    async ({ authInfo }) => ({
      content: [{
        type: 'text',
        text: JSON.stringify({
          sub: authInfo.extra.sub,
          client_id: authInfo.clientId,
          scope: authInfo.scopes.join(' '),
        }),
      }],
    }),
  );
  return server;
}
