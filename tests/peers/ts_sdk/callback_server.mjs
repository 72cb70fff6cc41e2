// The client's loopback redirect target: http://127.0.0.1:<port>/callback. Hands the query of
// the first callback request to the waiting flow; checking it is the caller's job.
import { listenLoopback } from './listen.mjs';

const CALLBACK_PATH = '/callback';

/** @returns {Promise<{ redirectUrl: string, waitForCallback: () => Promise<URLSearchParams>, close: () => Promise<void> }>} */
export async function startCallbackServer() {
  let deliver;
  const received = new Promise((resolve) => {
    deliver = resolve;
  });
  const { origin, close } = await listenLoopback((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== CALLBACK_PATH) {
      res.writeHead(404).end();
      return;
    }
    deliver(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('You may close this window.');
  });
  return { redirectUrl: `${origin}${CALLBACK_PATH}`, waitForCallback: () => received, close };
}
