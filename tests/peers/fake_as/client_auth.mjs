// Client lookup and client authentication at the token and revocation endpoints
// (RFC 6749 section 2.3, RFC 7523 section 2.2 for private_key_jwt).
// A client must authenticate exactly the way it registered: a public client sends client_id in
// the body and no Authorization header; a Basic client never puts its secret in the body.
import { timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { OAuthError, single } from './http.mjs';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const invalidClient = (description) => new OAuthError('invalid_client', description, 401);

// A registered client, or (when the AS advertises CIMD support) a client whose id is an https
// URL. The fake cannot fetch https, so it records the use and treats the client as public.
export function lookupClient(ctx, clientId, endpoint) {
  if (!clientId) return null;
  const registered = ctx.store.clients.get(clientId);
  if (registered) return registered;
  if (!ctx.options.clientIdMetadataDocumentSupported || !isCimdUrl(clientId)) return null;
  ctx.cimdUses.push({ clientId, endpoint, time: Date.now() });
  return {
    client_id: clientId,
    cimd: true,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: null,
  };
}

function isCimdUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.pathname !== '/' && !url.hash;
  } catch {
    return false;
  }
}

// `endpoint` is 'token' or 'revoke' (a key of layout.urls): a client assertion may name it as aud.
export async function authenticateClient(req, form, ctx, endpoint) {
  const presented = presentedCredentials(req, form);
  const client = lookupClient(ctx, presented.clientId, endpoint);
  if (!client) throw invalidClient('unknown client');
  const registered = client.token_endpoint_auth_method;
  if (registered !== presented.method) {
    throw invalidClient(`client authenticates with ${registered}, not ${presented.method}`);
  }
  if (presented.method.startsWith('client_secret_') && !sameSecret(presented.secret, client.client_secret)) {
    throw invalidClient('wrong client secret');
  }
  if (presented.method === 'private_key_jwt') {
    await verifyClientAssertion(presented.assertion, client, ctx, ctx.layout.urls[endpoint]);
  }
  return client;
}

function presentedCredentials(req, form) {
  const header = req.headers.authorization ?? '';
  const basic = /^basic /i.test(header) ? decodeBasic(header.slice(6).trim()) : null;
  const assertion = single(form, 'client_assertion');
  const postSecret = single(form, 'client_secret');
  const formClientId = single(form, 'client_id');
  if ([basic, assertion, postSecret].filter(Boolean).length > 1) {
    throw new OAuthError('invalid_request', 'more than one client authentication method');
  }
  if (basic) {
    if (formClientId && formClientId !== basic.id) throw invalidClient('client_id differs from Basic');
    return { method: 'client_secret_basic', clientId: basic.id, secret: basic.secret };
  }
  if (assertion) {
    if (single(form, 'client_assertion_type') !== JWT_BEARER) {
      throw invalidClient('client_assertion_type must be jwt-bearer');
    }
    return { method: 'private_key_jwt', clientId: formClientId ?? subjectOf(assertion), assertion };
  }
  if (postSecret) return { method: 'client_secret_post', clientId: formClientId, secret: postSecret };
  if (!formClientId) throw invalidClient('no client_id and no client authentication');
  return { method: 'none', clientId: formClientId };
}

// RFC 6749 section 2.3.1: id and secret are form-urlencoded before being joined with ":".
function decodeBasic(encoded) {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) throw invalidClient('malformed Basic credentials');
  const formDecode = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: formDecode(text.slice(0, colon)), secret: formDecode(text.slice(colon + 1)) };
}

function subjectOf(assertion) {
  try {
    return decodeJwt(assertion).sub;
  } catch {
    throw invalidClient('client_assertion is not a JWT');
  }
}

function sameSecret(given, expected) {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected ?? '');
  return a.length === b.length && timingSafeEqual(a, b);
}

async function verifyClientAssertion(assertion, client, ctx, endpointUrl) {
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      issuer: client.client_id,
      subject: client.client_id,
      audience: [endpointUrl, ctx.layout.urls.token, ctx.layout.issuer],
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    throw invalidClient(`client_assertion rejected: ${err.code ?? err.message}`);
  }
  // RFC 7523 section 3: a jti, when present, must not be replayed.
  if (payload.jti !== undefined) {
    const key = `${client.client_id} ${payload.jti}`;
    if (ctx.usedAssertionIds.has(key)) throw invalidClient('client_assertion jti replayed');
    ctx.usedAssertionIds.add(key);
  }
}
