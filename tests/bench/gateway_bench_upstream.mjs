// The MCP server of the gateway benchmark (run_gateway_bench.sh): Streamable HTTP, stateless,
// JSON answers, on node's http module alone, so that it costs as little as a correct server can
// and the gateway in front of it is what gets measured.
//
//   UPSTREAM_TOKEN=TOKEN node tests/bench/gateway_bench_upstream.mjs
//     listens on 127.0.0.1 (a port chosen by the OS) and prints {"url": "http://127.0.0.1:PORT/mcp"}
//     on one line; serves until SIGINT or SIGTERM.
//
// What it checks, as the TypeScript SDK's servers do: POST only (GET and DELETE: 405, a server
// without streams or sessions); "Authorization: Bearer TOKEN" (else 401 with a Bearer challenge);
// Accept naming application/json and text/event-stream (else 406); Content-Type application/json
// (else 415); a JSON-RPC message (else 400). Notifications and answers: 202. Requests: initialize,
// ping, tools/list, and tools/call of the one tool `echo {text}`, answered 200 with a JSON body.
import { createServer } from 'node:http';

const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];
const ECHO_TOOL = {
  name: 'echo',
  description: 'Returns its text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
};

function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const rpcError = (id, code, message) => ({ jsonrpc: '2.0', id, error: { code, message } });

// The result of a request, or a JSON-RPC error object.
function answer(message) {
  const { id, method, params = {} } = message;
  switch (method) {
    case 'initialize': {
      const asked = params.protocolVersion;
      return {
        jsonrpc: '2.0',
        id,
        result: {
          protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
          capabilities: { tools: {} },
          serverInfo: { name: 'gateway-bench-upstream', version: '1.0.0' },
        },
      };
    }
    case 'ping':
      return { jsonrpc: '2.0', id, result: {} };
    case 'tools/list':
      return { jsonrpc: '2.0', id, result: { tools: [ECHO_TOOL] } };
    case 'tools/call':
      if (params.name !== 'echo' || typeof params.arguments?.text !== 'string')
        return rpcError(id, -32602, 'unknown tool or bad arguments');
      return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: params.arguments.text }] } };
    default:
      return rpcError(id, -32601, `method not found: ${method}`);
  }
}

function handle(req, res, body, expectedAuthorization) {
  if (new URL(req.url, 'http://upstream').pathname !== '/mcp') return send(res, 404, rpcError(null, -32000, 'not found'));
  if (req.method !== 'POST') return send(res, 405, rpcError(null, -32000, 'method not allowed'), { allow: 'POST' });
  if (req.headers.authorization !== expectedAuthorization) {
    return send(res, 401, { error: 'invalid_token', error_description: 'missing or unknown token' }, {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream'))
    return send(res, 406, rpcError(null, -32000, 'Accept must name application/json and text/event-stream'));
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    return send(res, 415, rpcError(null, -32000, 'Content-Type must be application/json'));
  let message;
  try {
    message = JSON.parse(body);
  } catch {
    return send(res, 400, rpcError(null, -32700, 'parse error'));
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message) || message.jsonrpc !== '2.0')
    return send(res, 400, rpcError(null, -32600, 'invalid request'));
  if (message.method === undefined || message.id === undefined) return send(res, 202); // a notification or an answer
  send(res, 200, answer(message));
}

const token = process.env.UPSTREAM_TOKEN; // not an argument: ps would show it
if (!token) {
  console.error('usage: UPSTREAM_TOKEN=TOKEN node gateway_bench_upstream.mjs');
  process.exit(2);
}
const expectedAuthorization = `Bearer ${token}`;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8'), expectedAuthorization));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/mcp` })}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
