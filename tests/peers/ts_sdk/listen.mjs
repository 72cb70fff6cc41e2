// An HTTP server on 127.0.0.1 with an OS-chosen port, and a close() that does not wait for
// idle keep-alive or open SSE connections (so a test process can exit).
import http from 'node:http';

/** @returns {Promise<{ server: http.Server, origin: string, close: () => Promise<void> }>} */
export async function listenLoopback(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { server, origin, close };
}
