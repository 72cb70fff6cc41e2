// An oidc-provider storage adapter that outlives the process: every change is appended at once
// (synchronously, so even SIGKILL loses nothing) to a JSON-lines file, which the next process
// reads back. The soak's authorization server restarts with its clients, grants and refresh
// tokens, as one with a database does. Expired records are dropped when the file is read.
//
//   createProvider({ ..., options: { adapter: fileAdapter('/tmp/as-state.jsonl') } })
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export function fileAdapter(file) {
  const records = new Map(); // "Model:id" -> { payload, expiresAt (ms, or null) }
  const apply = ({ key, record }) => (record ? records.set(key, record) : records.delete(key));
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line) apply(JSON.parse(line));
  }
  const alive = (record, now = Date.now()) => record && (record.expiresAt === null || record.expiresAt > now);
  for (const [key, record] of records) if (!alive(record)) records.delete(key);
  writeFileSync(file, [...records].map(([key, record]) => `${JSON.stringify({ key, record })}\n`).join(''));

  const write = (key, record) => {
    apply({ key, record });
    appendFileSync(file, `${JSON.stringify({ key, record })}\n`);
  };
  const findBy = (model, field, value) => {
    for (const [key, record] of records) {
      if (key.startsWith(`${model}:`) && record.payload[field] === value && alive(record)) return record.payload;
    }
    return undefined;
  };

  return class FileAdapter {
    constructor(model) {
      this.model = model;
    }

    key(id) {
      return `${this.model}:${id}`;
    }

    async upsert(id, payload, expiresIn) {
      write(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
    }

    async find(id) {
      const record = records.get(this.key(id));
      return alive(record) ? record.payload : undefined;
    }

    async findByUid(uid) {
      return findBy(this.model, 'uid', uid);
    }

    async findByUserCode(userCode) {
      return findBy(this.model, 'userCode', userCode);
    }

    async consume(id) {
      const record = records.get(this.key(id));
      if (record) write(this.key(id), { ...record, payload: { ...record.payload, consumed: Math.floor(Date.now() / 1000) } });
    }

    async destroy(id) {
      write(this.key(id), null);
    }

    async revokeByGrantId(grantId) {
      for (const [key, record] of records) if (record.payload.grantId === grantId) write(key, null);
    }
  };
}
