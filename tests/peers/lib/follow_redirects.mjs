// What a browser does with an authorization URL when the AS approves without user interaction:
// GET it, follow every redirect (relative Locations included, cookies kept per host), and
// finally load the page the last redirect points at, normally the client's loopback callback.
//
//   import { followRedirects, CookieJar } from './lib/follow_redirects.mjs';
//   const { url, status, hops } = await followRedirects(authorizationUrl);
//   const jar = new CookieJar();  // share one jar across several navigations and form posts
//
// Used by ts_sdk_login.mjs (the SDK client's redirectToAuthorization) and by the $BROWSER
// stand-in that drives `mcpauth login`.

const DEFAULT_MAX_HOPS = 20;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * @param {string|URL} startUrl
 * @param {object} [options]
 * @param {(url: URL) => boolean} [options.stopAt]  do not load a URL for which this returns true
 *                                                  (e.g. capture the callback URL, like a user pasting it)
 * @param {CookieJar} [options.cookies]            jar to use and fill (default: a fresh one)
 * @param {(hop: { url: string, status: number }) => void} [options.onResponse]  called per answer
 * @param {number} [options.maxHops=20]
 * @param {number} [options.timeoutMs=10000]        per request
 * @returns {Promise<{ url: string, status: number|null, body: string|null, hops: string[] }>}
 *   url: the last URL reached; status/body: its answer (null when stopped by stopAt);
 *   hops: every URL visited in order, including `url`.
 */
export async function followRedirects(startUrl, options = {}) {
  const {
    stopAt = () => false,
    maxHops = DEFAULT_MAX_HOPS,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    cookies = new CookieJar(),
    onResponse = () => {},
  } = options;
  const hops = [];
  let url = new URL(startUrl);
  for (;;) {
    hops.push(url.href);
    if (stopAt(url)) return { url: url.href, status: null, body: null, hops };
    if (hops.length > maxHops) throw new Error(`more than ${maxHops} redirects, last: ${url.href}`);

    const response = await fetch(url, {
      redirect: 'manual',
      headers: cookies.headerFor(url),
      signal: AbortSignal.timeout(timeoutMs),
    });
    cookies.store(url, response.headers.getSetCookie());
    onResponse({ url: url.href, status: response.status });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) {
      return { url: url.href, status: response.status, body: await response.text(), hops };
    }
    await response.body?.cancel();
    url = new URL(location, url); // Location may be relative
  }
}

// Enough of RFC 6265 for an AS's interaction cookies: name=value per host, Path prefix, deletion.
export class CookieJar {
  #cookies = []; // { host, name, value, path }

  store(url, setCookieHeaders) {
    for (const header of setCookieHeaders) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq);
      const attr = (key) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attr('path') ?? '/';
      this.#cookies = this.#cookies.filter((c) => !(c.host === url.host && c.name === name && c.path === path));
      const expires = attr('expires');
      const deleted = attr('max-age') === '0' || (expires && Date.parse(expires) < Date.now());
      if (!deleted) this.#cookies.push({ host: url.host, name, value: pair.slice(eq + 1), path });
    }
  }

  headerFor(url) {
    const matching = this.#cookies.filter((c) => c.host === url.host && url.pathname.startsWith(c.path));
    return matching.length > 0 ? { cookie: matching.map((c) => `${c.name}=${c.value}`).join('; ') } : {};
  }
}
