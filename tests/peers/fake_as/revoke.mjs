// Token revocation (RFC 7009). Revoking a refresh token revokes its whole grant (section 2.1);
// revoking an access token revokes that token only. Unknown tokens get 200 (section 2.2).
import { authenticateClient } from './client_auth.mjs';
import { OAuthError, sendJson, sendOAuthError, single } from './http.mjs';

export async function handleRevoke(req, res, ctx) {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
  const isForm = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
  try {
    if (!isForm) throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    const client = await authenticateClient(req, req.body, ctx, 'revoke');
    const value = single(req.body, 'token');
    if (!value) throw new OAuthError('invalid_request', 'token is required');
    const { store } = ctx;
    const token = store.refreshTokens.get(value) ?? store.accessTokens.get(value);
    if (token && token.clientId !== client.client_id) {
      throw new OAuthError('unauthorized_client', 'token was issued to another client');
    }
    if (token && store.refreshTokens.has(value)) store.revokeGrant(token.grantId);
    else if (token) token.revoked = true;
    res.writeHead(200, { 'Cache-Control': 'no-store' });
    res.end();
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    sendOAuthError(res, err);
  }
}
