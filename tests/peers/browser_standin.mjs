// A stand-in for the user's web browser, for tests to set as $BROWSER (via browser_standin.sh).
//
//   node browser_standin.mjs <authorization URL>
//
// Opens the URL with a cookie jar, follows redirects, signs in on the AS's login page and
// approves its consent page (oidc-provider's devInteractions, or any similar page whose first
// form has a text + password field or just a submit button), until a redirect reaches the
// loopback callback (http://127.0.0.1|localhost|[::1]:PORT/... carrying code or error). It loads
// the callback once and exits 0, whatever the callback answers. Exits 1 with a message on stderr
// when the flow goes anywhere else or takes longer than 30 s.
//
// Environment:
//   BROWSER_STANDIN_LOG     file to append one line per request to: "METHOD URL STATUS", with the
//                           values of secret-bearing query parameters replaced by REDACTED
//   BROWSER_STANDIN_LOGIN   login name to sign in with (default "alice"; becomes the token's sub)
//   BROWSER_STANDIN_ACTION  "approve" (default) or "deny": follow the page's Cancel link instead
//                           (oidc-provider then redirects with error=access_denied)
import { appendFileSync } from 'node:fs';
import { followRedirects, CookieJar } from './lib/follow_redirects.mjs';
import { firstForm, fillForm, cancelLink } from './oidc/html_forms.mjs';

const OVERALL_TIMEOUT_MS = 30_000;
const MAX_PAGES = 10;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SECRET_PARAMS = ['code', 'state', 'code_verifier', 'access_token', 'refresh_token', 'id_token', 'client_secret'];

const env = {
  logFile: process.env.BROWSER_STANDIN_LOG,
  login: process.env.BROWSER_STANDIN_LOGIN || 'alice',
  action: process.env.BROWSER_STANDIN_ACTION || 'approve',
};

function fail(message) {
  process.stderr.write(`browser_standin: ${message}\n`);
  process.exit(1);
}

function redact(href) {
  const url = new URL(href);
  for (const name of SECRET_PARAMS) {
    if (url.searchParams.has(name)) url.searchParams.set(name, 'REDACTED');
  }
  return url.href;
}

function logStep(method, url, status) {
  if (env.logFile) appendFileSync(env.logFile, `${method} ${redact(url)} ${status}\n`);
}

function isCallback(url) {
  return LOOPBACK_HOSTS.has(url.hostname)
    && (url.searchParams.has('code') || url.searchParams.has('error'));
}

const cookies = new CookieJar();

// GET `url` and follow redirects, stopping short of the callback.
function navigate(url) {
  return followRedirects(url, {
    cookies,
    stopAt: isCallback,
    onResponse: ({ url: hop, status }) => logStep('GET', hop, status),
  });
}

// Submits a form the way a browser does; returns the URL its redirect points at.
async function submit(form, fields) {
  if (form.method === 'GET') {
    const target = new URL(form.action);
    target.search = fields.toString();
    return target;
  }
  const action = new URL(form.action);
  const response = await fetch(action, {
    method: form.method,
    body: fields,
    headers: cookies.headerFor(action),
    redirect: 'manual',
    signal: AbortSignal.timeout(OVERALL_TIMEOUT_MS),
  });
  cookies.store(action, response.headers.getSetCookie());
  logStep(form.method, action.href, response.status);
  const location = response.headers.get('location');
  await response.body?.cancel();
  if (response.status < 300 || response.status > 399 || !location) {
    fail(`${form.method} ${action.href} answered ${response.status} without a redirect`);
  }
  return new URL(location, action);
}

// The next URL to open from an AS page, as the user would choose it.
async function interact(page) {
  const url = new URL(page.url);
  if (page.status !== 200) {
    fail(`${url.origin}${url.pathname} answered ${page.status}: ${page.body?.slice(0, 500)}`);
  }
  if (env.action === 'deny') {
    const cancel = cancelLink(page.body, url);
    if (!cancel) fail(`no Cancel link to deny with on ${url.href}`);
    return cancel;
  }
  const form = firstForm(page.body, url);
  if (!form) fail(`no form on ${url.href}: ${page.body.slice(0, 500)}`);
  return submit(form, fillForm(form, { login: env.login, password: 'any-password' }));
}

async function run(startUrl) {
  let page = await navigate(startUrl);
  for (let pages = 0; page.status !== null; pages += 1) {
    if (pages === MAX_PAGES) fail(`still no callback after ${MAX_PAGES} pages, last: ${page.url}`);
    page = await navigate(await interact(page));
  }
  // stopAt fired: page.url is the callback. Load it once, as the browser would.
  const callback = new URL(page.url);
  const response = await fetch(callback, {
    headers: cookies.headerFor(callback),
    redirect: 'manual',
    signal: AbortSignal.timeout(OVERALL_TIMEOUT_MS),
  });
  await response.body?.cancel();
  logStep('GET', page.url, response.status);
  process.stderr.write(`browser_standin: callback answered ${response.status}\n`);
}

const [startUrl, ...extra] = process.argv.slice(2);
if (!startUrl || extra.length > 0) fail('usage: browser_standin.mjs <URL> (exactly one argument)');
if (!['approve', 'deny'].includes(env.action)) fail(`BROWSER_STANDIN_ACTION must be approve or deny, not ${env.action}`);
setTimeout(() => fail(`no callback within ${OVERALL_TIMEOUT_MS / 1000} s`), OVERALL_TIMEOUT_MS).unref();
run(startUrl).then(() => process.exit(0), (err) => fail(err.stack ?? String(err)));
