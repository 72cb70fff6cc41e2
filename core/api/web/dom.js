// Builds DOM nodes without ever parsing HTML: strings become text nodes, attributes are set one by
// one. So no value from the server can turn into markup, and the page needs no inline script or
// style (the server's Content-Security-Policy forbids both).

/**
 * el('button', { type: 'button', class: 'primary', onclick: handler }, 'Save')
 * Attributes whose value is null, undefined or false are left out; true sets an empty one.
 * Children: nodes, strings (as text), or nested arrays of those; null and false are skipped.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  return fill(node, ...children);
}

// Appends children to node as el() does (so null and false can stand for "nothing here").
export function fill(node, ...children) {
  node.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

// A <dl> of [term, description] rows; rows whose description is null are left out.
export function definitionList(rows, className) {
  return el(
    'dl',
    { class: className },
    rows.filter(([, description]) => description !== null).map(([term, description]) => [
      el('dt', {}, term),
      el('dd', {}, description),
    ]),
  );
}

// A short label shown as a pill; what it is about is said to screen readers only ("Status: ").
export const badge = (about, text, className) =>
  el('span', { class: className }, el('span', { class: 'visually-hidden' }, `${about}: `), text);

// An id no other element of the page has (cards are rebuilt, so ids cannot come from data alone).
let lastId = 0;
export const uniqueId = (prefix) => `${prefix}-${++lastId}`;
