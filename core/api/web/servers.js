// "Your MCP servers": one card per server of GET /api/mcp/auth/status, with its sign-in state,
// a Connect button for OAuth servers, and the user's own token (save or remove).
import { authStatus, removeUserToken, saveUserToken } from './api.js';
import { messageLine, runCardAction } from './actions.js';
import { badge, definitionList, el, fill, uniqueId } from './dom.js';
import { authTypeName, describeExpiry, yesNo } from './format.js';

// The state in a few words, and the class that colours it.
function stateOf(entry) {
  if (entry.available === false) return ['Unavailable', 'bad'];
  if (!entry.auth_required) return ['No sign-in needed', 'neutral'];
  if (entry.authenticated) return ['Signed in', 'good'];
  if (entry.is_expired) return ['Expired', 'warn'];
  return ['Not signed in', 'warn'];
}

function details(entry) {
  if (entry.available === false) return el('p', { class: 'detail' }, entry.detail ?? 'This server cannot be used now.');
  if (!entry.auth_required || (!entry.authenticated && !entry.is_expired)) return null;
  return definitionList(
    [
      ['Expires', describeExpiry(entry.expires_at, entry.time_until_expiry, entry.is_expired) ?? 'no expiry given'],
      ['Scopes', entry.scopes ? String(entry.scopes) : 'none given'],
      ['Refresh token', yesNo(entry.has_refresh_token)],
    ],
    'facts',
  );
}

// Only a web address may be navigated to: never javascript: or the like.
function navigableUrl(text) {
  try {
    const url = new URL(text, window.location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

// Connect (the server-side OAuth flow: mcpauth sends the browser on to the authorization server
// and, when done, back to this page with the outcome) and sign out / remove the user's token.
function actions(entry, card, headingId) {
  const buttons = [];
  const startUrl = entry.oauth_start_url ? navigableUrl(entry.oauth_start_url) : null;
  if (startUrl) {
    buttons.push(el('button', {
      type: 'button',
      class: 'primary',
      'aria-describedby': headingId,
      onclick: () => window.location.assign(startUrl),
    }, entry.authenticated ? 'Sign in again' : 'Connect'));
  }
  // Only the user's own token can be removed here; a server-level one is the admins' to manage.
  if (entry.auth_required && entry.token_source === 'user') {
    buttons.push(el('button', {
      type: 'button',
      'aria-describedby': headingId,
      onclick: () => runCardAction(
        card,
        async () => (await removeUserToken(entry.server_name)).message,
        (message) => rebuild(entry.server_name, message),
      ),
    }, entry.auth_type === 'oauth' ? 'Sign out' : 'Remove my token'));
  }
  return buttons.length ? el('div', { class: 'actions' }, buttons) : null;
}

// The user's own token for this server, folded away: most users sign in with Connect instead.
function tokenForm(entry, card) {
  const inputId = uniqueId('user-token');
  const form = el(
    'form',
    { class: 'token-form' },
    el('label', { for: inputId }, `Token for ${entry.server_name}`),
    el('input', { id: inputId, name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true }),
    el('button', { type: 'submit' }, 'Save token'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = form.elements.token.value.trim();
    runCardAction(
      card,
      async () => (await saveUserToken(entry.server_name, token)).message,
      (message) => rebuild(entry.server_name, message),
    );
  });
  return el('details', { class: 'own-token' }, el('summary', {}, 'Use your own token'), form);
}

/** The card of one status entry; message: the outcome of the action that led to it, if any. */
export function serverCard(entry, message = null) {
  const headingId = uniqueId('server');
  const [state, tone] = stateOf(entry);
  const card = el('article', { class: 'card', 'aria-labelledby': headingId });
  return fill(
    card,
    el('header', { class: 'card-header' },
      el('h3', { id: headingId }, entry.server_name),
      badge('Authentication', authTypeName(entry.auth_type), 'badge'),
      badge('Status', state, `state ${tone}`)),
    entry.description ? el('p', { class: 'description' }, entry.description) : null,
    details(entry),
    actions(entry, card, headingId),
    entry.available !== false && entry.auth_required ? tokenForm(entry, card) : null,
    messageLine(message),
  );
}

// A fresh card for one server, after an action changed its state.
async function rebuild(serverName, message) {
  const { servers } = await authStatus();
  const entry = servers.find((candidate) => candidate.server_name === serverName);
  if (!entry) throw new Error(`${serverName} is no longer listed`);
  return serverCard(entry, message);
}

/** Fills `container` with the cards of `servers` (status entries). */
export function showServers(container, servers) {
  if (servers.length === 0) {
    container.replaceChildren(el('p', { class: 'placeholder' }, 'No MCP server is available to you.'));
  } else {
    container.replaceChildren(...servers.map((entry) => serverCard(entry)));
  }
}
