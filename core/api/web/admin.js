// The admin section: per server, the server-level JWT (GET /admin/mcp/{server}/jwt), uploaded by
// pasting it or reading it from a file, and deleted. Only admins get here (see app.js).
import { adminJwtStatus, deleteAdminJwt, uploadAdminJwt } from './api.js';
import { messageLine, runCardAction, showMessage } from './actions.js';
import { badge, definitionList, el, fill, uniqueId } from './dom.js';
import { authTypeName, describeExpiry, formatTime } from './format.js';

// A JWT is a few KiB at most; a bigger file is not one (the server bounds the size too).
const MAX_FILE_BYTES = 64 * 1024;

const text = (value) => (typeof value === 'string' && value ? value : null);

function stateOf(status) {
  if (!status.has_jwt) return ['No JWT stored', 'neutral'];
  if (status.is_expired) return ['Stored JWT expired', 'warn'];
  return ['JWT stored', 'good'];
}

// What the auth plugin reports about the stored JWT (manual_jwt: exp, subject, issuer, stored_at).
function details(status) {
  if (!status.has_jwt) return null;
  return definitionList(
    [
      ['Expires', describeExpiry(status.exp ?? status.expires_at, status.expires_in, status.is_expired) ?? 'no expiry given'],
      ['Subject', text(status.subject)],
      ['Issuer', text(status.issuer)],
      ['Stored', typeof status.stored_at === 'number' ? formatTime(status.stored_at) : null],
    ],
    'facts',
  );
}

// After an upload or a delete: the server's fresh admin card, and onChange() so the rest of the
// page (the admin's own servers list) catches up.
const rebuildAfter = (server, onChange) => async (message) => {
  const card = adminCard(await adminJwtStatus(server), onChange, message);
  onChange();
  return card;
};

function uploadForm(status, card, headingId, onChange) {
  const server = status.server_name;
  const pasteId = uniqueId('jwt');
  const fileId = uniqueId('jwt-file');
  const hintId = uniqueId('jwt-hint');
  const paste = el('textarea', {
    id: pasteId, name: 'jwt', rows: 3, required: true, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': hintId,
  });
  const file = el('input', { id: fileId, type: 'file', accept: '.jwt,.txt,text/plain' });
  const form = el(
    'form',
    { class: 'jwt-form' },
    el('label', { for: pasteId }, `JWT for ${server}`),
    el('p', { id: hintId, class: 'hint' }, 'Paste the token (three parts separated by dots, starting with eyJ), or read it from a file.'),
    paste,
    el('label', { for: fileId }, 'Read from a file'),
    file,
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', 'aria-describedby': headingId }, status.has_jwt ? 'Replace JWT' : 'Upload JWT'),
      status.has_jwt
        ? el('button', {
          type: 'button',
          class: 'danger',
          'aria-describedby': headingId,
          onclick: () => runCardAction(card, async () => (await deleteAdminJwt(server)).message, rebuildAfter(server, onChange)),
        }, 'Delete JWT')
        : null),
  );
  // The file's text goes into the box, so what is uploaded can be seen first.
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    if (chosen.size > MAX_FILE_BYTES) {
      showMessage(card, { kind: 'error', text: `${chosen.name} is too large to be a JWT.` });
      return;
    }
    paste.value = (await chosen.text()).trim();
    paste.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const jwt = paste.value.trim();
    runCardAction(card, async () => (await uploadAdminJwt(server, jwt)).message, rebuildAfter(server, onChange));
  });
  return form;
}

/** The admin card of one server; status: GET /admin/mcp/{server}/jwt. */
export function adminCard(status, onChange, message = null) {
  const headingId = uniqueId('admin-server');
  const [state, tone] = stateOf(status);
  const card = el('article', { class: 'card', 'aria-labelledby': headingId });
  return fill(
    card,
    el('header', { class: 'card-header' },
      el('h3', { id: headingId }, status.server_name),
      status.auth_type ? badge('Authentication', authTypeName(status.auth_type), 'badge') : null,
      badge('Status', state, `state ${tone}`)),
    details(status),
    uploadForm(status, card, headingId, onChange),
    messageLine(message),
  );
}

// A card for a server whose status could not be read: the reason, nothing to act on.
const failedCard = (server, error) =>
  el('article', { class: 'card', 'aria-label': server },
    el('header', { class: 'card-header' }, el('h3', {}, server), badge('Status', 'Unavailable', 'state bad')),
    el('p', { class: 'detail' }, error.message));

/**
 * Fills `container` with an admin card per server that takes a server-level token
 * (jwtList.accepting) or has one (jwtList.servers), even outside the admin's own groups.
 * onChange: called after an upload or a delete.
 */
export async function showAdmin(container, jwtList, onChange) {
  const sorted = [...new Set([...(jwtList.accepting ?? []), ...(jwtList.servers ?? [])])].sort();
  const cards = await Promise.all(
    sorted.map((server) => adminJwtStatus(server).then((status) => adminCard(status, onChange), (error) => failedCard(server, error))),
  );
  container.replaceChildren(...(cards.length ? cards : [el('p', { class: 'placeholder' }, 'No server takes a server-level JWT.')]));
}
