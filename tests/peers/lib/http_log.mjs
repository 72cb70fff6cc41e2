// Request accounting shared by every test peer.
//
//   import { createRequestLog } from './lib/http_log.mjs';
//   const log = createRequestLog();
//   app.use(log.middleware());               // express: mount FIRST, before any router
//   http.createServer(log.wrap(handler));    // plain node:http (e.g. oidc-provider's callback())
//
//   log.requests   array of entries, oldest first:
//                  { method, path, query, form, json, authorization, headers, time, status }
//                    path           URL path without the query string ('/token')
//                    query          parsed query string (values are strings, arrays when repeated)
//                    form           parsed x-www-form-urlencoded body, else undefined
//                    json           parsed JSON body, else undefined
//                    authorization  the Authorization header value, or null
//                    headers        all request headers (lower-case names)
//                    time           Date.now() when the request was recorded
//                    status         response status code, set once the response has been sent
//                                   (middleware()/wrap() only; undefined while still streaming)
//   log.count(p)   number of entries matching p: a path string (exact match) or a predicate(entry)
//   log.filter(p)  the matching entries themselves
//   log.clear()    forget every entry (e.g. between phases of one test)
//   log.record(req, rawBody)  append an entry by hand; returns it
//
// The middleware reads the whole body before the request goes on, then leaves it parsed on
// req.body (form object, JSON value, or the raw text when it is neither or does not parse).
// Both downstream parser families accept that: body-parser skips a request whose stream is
// finished, and oidc-provider falls back to req.body when the stream is no longer readable
// (it then prints a one-time, harmless "already parsed request body detected" warning).
// req.rawBody keeps the bytes.
import { parse as parseQueryString } from 'node:querystring';

const MAX_BODY_BYTES = 1024 * 1024;

export function createRequestLog() {
  const requests = [];

  const toPredicate = (p) => (typeof p === 'function' ? p : (entry) => entry.path === p);

  function record(req, rawBody) {
    const url = new URL(req.originalUrl ?? req.url, 'http://peer.invalid');
    const parsed = parseBody(req.headers['content-type'], rawBody);
    const entry = {
      method: req.method,
      path: url.pathname,
      query: { ...parseQueryString(url.search.slice(1)) },
      form: parsed.form,
      json: parsed.json,
      authorization: req.headers.authorization ?? null,
      headers: { ...req.headers },
      time: Date.now(),
    };
    requests.push(entry);
    return entry;
  }

  async function readAndRecord(req, res) {
    const rawBody = await readBody(req);
    req.rawBody = rawBody;
    const entry = record(req, rawBody);
    res.once('finish', () => {
      entry.status = res.statusCode;
    });
    if (rawBody.length > 0) {
      req.body = entry.form ?? entry.json ?? rawBody.toString('utf8');
    }
  }

  function middleware() {
    return (req, res, next) => {
      readAndRecord(req, res).then(() => next(), next);
    };
  }

  function wrap(handler) {
    return (req, res) => {
      readAndRecord(req, res).then(
        () => handler(req, res),
        (err) => {
          res.statusCode = err.statusCode ?? 400;
          res.end();
        },
      );
    };
  }

  return {
    requests,
    record,
    count: (p) => requests.filter(toPredicate(p)).length,
    filter: (p) => requests.filter(toPredicate(p)),
    clear: () => {
      requests.length = 0;
    },
    middleware,
    wrap,
  };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw Object.assign(new Error('request body too large'), { statusCode: 413 });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseBody(contentType = '', rawBody) {
  if (!rawBody || rawBody.length === 0) return {};
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  const text = rawBody.toString('utf8');
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { form: { ...parseQueryString(text) } };
  }
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    try {
      return { json: JSON.parse(text) };
    } catch {
      return {};
    }
  }
  return {};
}
