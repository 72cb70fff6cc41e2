// An HTTP server on 127.0.0.1 with a port chosen at run time. The request handler is attached
// later because the peers need each other's URLs before they can build their handlers.
import { createServer } from 'node:http';

export async function listenLoopback() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    handle(handler) {
      server.on('request', handler);
    },
    // Also drops keep-alive and streaming (SSE) connections, so the process can exit.
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
