// mcpauth's web page: who is signed in, their MCP servers, and, for admins, the server JWTs.
// <main aria-busy> stays "true" until everything below has been loaded (or has failed).
import { ApiError, adminJwtList, authStatus } from './api.js';
import { showAdmin } from './admin.js';
import { takeConnectResult } from './connect_result.js';
import { el } from './dom.js';
import { showServers } from './servers.js';

const byId = (id) => document.getElementById(id);

// A page-wide message at the top, until dismissed. The list is a polite live region; an error is
// an alert besides, read out at once.
function notify({ kind, text }) {
  const notice = el('div', { class: `notice ${kind}` }, el('p', { role: kind === 'error' ? 'alert' : null }, text));
  notice.append(el('button', { type: 'button', onclick: () => notice.remove() }, 'Dismiss'));
  byId('notices').append(notice);
}

function showServerList(servers) {
  const container = byId('servers');
  showServers(container, servers);
  container.setAttribute('aria-busy', 'false');
}

// After an admin change: the admin's own list may change too (a server JWT signs them in).
async function refreshServers() {
  try {
    showServerList((await authStatus()).servers);
  } catch (error) {
    notify({ kind: 'error', text: `Your servers could not be reloaded: ${error.message}` });
  }
}

// The admin API itself says whether this user is an admin: 200, or 403 for everyone else.
async function loadAdmin() {
  let jwtList;
  try {
    jwtList = await adminJwtList();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403)) {
      notify({ kind: 'error', text: `The administration section could not be loaded: ${error.message}` });
    }
    return;
  }
  await showAdmin(byId('admin-servers'), jwtList, refreshServers);
  byId('admin').hidden = false;
}

async function start() {
  const connectResult = takeConnectResult();
  if (connectResult) notify(connectResult);
  let status;
  try {
    status = await authStatus();
  } catch (error) {
    // 401: the proxy sent no identity.
    byId('identity').textContent = error.status === 401 ? 'Not signed in' : 'Identity unknown';
    byId('servers').replaceChildren(el('p', { class: 'placeholder' }, 'Nothing to show.'));
    byId('servers').setAttribute('aria-busy', 'false');
    notify({ kind: 'error', text: `Your servers could not be loaded: ${error.message}` });
    return;
  }
  byId('user-name').textContent = status.user;
  showServerList(status.servers);
  await loadAdmin();
}

start().finally(() => byId('main').setAttribute('aria-busy', 'false'));
