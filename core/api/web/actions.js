// What every button of a card does around its request: the card's controls are disabled while it
// runs, then its outcome shows in the card's message line, which takes the focus (so a screen
// reader reads it and keyboard users carry on from there).
import { el } from './dom.js';

// message: { kind: 'success' | 'error', text }. An error is an alert: read out as it appears.
export function messageLine(message) {
  if (!message) return el('p', { class: 'message', tabindex: '-1', hidden: true });
  const role = message.kind === 'error' ? 'alert' : 'status';
  return el('p', { class: `message ${message.kind}`, role, tabindex: '-1' }, message.text);
}

function setBusy(card, busy) {
  card.setAttribute('aria-busy', String(busy));
  for (const control of card.querySelectorAll('button, input, textarea')) control.disabled = busy;
}

/** Shows the message in the card's message line and moves the focus there. */
export function showMessage(card, message) {
  const line = messageLine(message);
  card.querySelector('.message').replaceWith(line);
  line.focus();
}

/**
 * Runs task() (resolves to the success text) for `card`. On success the card is replaced by
 * rebuild(message), a fresh card showing the new state; on failure the card stays as it is, with
 * what the user typed, and shows the error.
 */
export async function runCardAction(card, task, rebuild) {
  setBusy(card, true);
  let text;
  try {
    text = await task();
  } catch (error) {
    setBusy(card, false);
    showMessage(card, { kind: 'error', text: error.message });
    return;
  }
  try {
    const fresh = await rebuild({ kind: 'success', text });
    card.replaceWith(fresh);
    fresh.querySelector('.message').focus();
  } catch (error) {
    setBusy(card, false);
    showMessage(card, { kind: 'success', text: `${text} (the page could not show the new state: ${error.message})` });
  }
}
