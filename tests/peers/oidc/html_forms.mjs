// Just enough HTML reading to drive sign-in pages like oidc-provider's devInteractions:
// the first <form> (action, method, inputs) and a "Cancel"/"Deny"/"Abort" link.

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&#x2F;': '/', '&#47;': '/' };

function unescapeHtml(text) {
  return text.replace(/&(?:amp|lt|gt|quot|#39|#x27|#x2F|#47);/g, (entity) => ENTITIES[entity]);
}

function attributes(tag) {
  const attrs = {};
  for (const [, name, , doubleQuoted, singleQuoted, bare] of tag.matchAll(/([\w-]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attrs[name.toLowerCase()] = unescapeHtml(doubleQuoted ?? singleQuoted ?? bare ?? '');
  }
  return attrs;
}

/**
 * @returns {{ action: string, method: string, inputs: { name: string, type: string, value: string }[] } | null}
 *   action resolved against pageUrl; null when the page has no form
 */
export function firstForm(html, pageUrl) {
  const match = html.match(/<form\b([^>]*)>([\s\S]*?)<\/form>/i);
  if (!match) return null;
  const attrs = attributes(match[1]);
  const inputs = [...match[2].matchAll(/<input\b([^>]*)>/gi)]
    .map(([, tag]) => attributes(tag))
    .filter((input) => input.name)
    .map((input) => ({ name: input.name, type: (input.type ?? 'text').toLowerCase(), value: input.value ?? '' }));
  return {
    action: new URL(attrs.action ?? '', pageUrl).href,
    method: (attrs.method ?? 'get').toUpperCase(),
    inputs,
  };
}

/** The href of the first link whose text says cancel, deny or abort, resolved; else null. */
export function cancelLink(html, pageUrl) {
  for (const [, tag, text] of html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
    const { href } = attributes(tag);
    if (href && /cancel|deny|abort/i.test(text)) return new URL(href, pageUrl).href;
  }
  return null;
}

/**
 * The form's fields as a browser would submit them after a user typed `login` into the text
 * field(s) and anything into the password field(s).
 */
export function fillForm(form, { login, password }) {
  const fields = new URLSearchParams();
  for (const input of form.inputs) {
    if (input.type === 'password') fields.append(input.name, password);
    else if (['text', 'email'].includes(input.type) && !input.value) fields.append(input.name, login);
    else if (!['submit', 'button', 'checkbox', 'radio'].includes(input.type)) fields.append(input.name, input.value);
  }
  return fields;
}
