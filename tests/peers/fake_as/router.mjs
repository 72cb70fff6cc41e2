// Maps a request path to its handler. A server plays the resource role (MCP endpoint and PRM),
// the AS role (metadata and OAuth endpoints), or both when they share one origin.
import { handleAuthorize, handleConsent } from './authorize.mjs';
import { serveMetadata } from './discovery.mjs';
import { sendJson } from './http.mjs';
import { MCP_PATH } from './layout.mjs';
import { handleMcp } from './mcp_resource.mjs';
import { handleRegister } from './register.mjs';
import { handleRevoke } from './revoke.mjs';
import { handleToken } from './token.mjs';

export function createRouter(ctx, { resource, as }) {
  return async (req, res) => {
    const handler = route(req.url.split('?')[0], ctx, { resource, as });
    try {
      if (!handler) return sendJson(res, 404, { error: 'not_found' });
      await handler(req, res, ctx);
    } catch (err) {
      if (err.name === 'AbortError') return res.destroy(); // the peer is closing
      console.error('fake AS: handler failed:', err);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.destroy();
    }
  };
}

function route(path, ctx, roles) {
  const { layout, options } = ctx;
  if (roles.resource) {
    if (path === MCP_PATH) return handleMcp;
    if (path === layout.prmPath) return (req, res) => serveMetadata('prm', req, res, ctx);
  }
  if (roles.as) {
    if (layout.metadataPaths.includes(path)) return (req, res) => serveMetadata('as', req, res, ctx);
    const { paths } = layout;
    if (path === paths.authorize) return handleAuthorize;
    if (path === paths.consent) return handleConsent;
    if (path === paths.token) return handleToken;
    if (path === paths.revoke) return handleRevoke;
    if (path === paths.register && !options.noRegistration) return handleRegister;
  }
  return null;
}
