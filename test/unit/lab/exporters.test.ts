import { describe, expect, it } from 'vitest';
import { labEventSchemas, type Exchange } from '../../../src/common/lab-events';
import { createJwtDecoder } from '../../../src/server/lab/jwt-decoder';
import { escapeMermaid } from '../../../src/server/lab/export-markdown';
import { exportRecording, type ExportFormat } from '../../../src/server/lab/export-recording';
import { stringSink } from '../../../src/server/lab/export-sink';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { makeExchange, namedSpanHeaders, openMemoryDb } from './helpers';
import { importRecording } from '../../../src/server/lab/imported-recording';

const JWT = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSIsImF1ZCI6ImNsaWVudCJ9.c2ln';

function fixture() {
  const store = createRecordingStore(openMemoryDb());
  const meta = store.create('FAPI flow', Date.UTC(2026, 0, 1));
  const shared = { traceId: 'd'.repeat(32), spanId: 'e'.repeat(16) };
  const failed = {
    id: 'dpop.htu',
    description: 'htu | matches',
    ref: 'RFC 9449 §4.3 (9)',
    outcome: 'failed' as const,
    error: { error: 'invalid_dpop_proof', error_description: 'htu mismatch', status: 400 },
  };
  const events: Exchange[] = [
    makeExchange({
      ...shared,
      observer: 'client',
      label: 'PAR',
      url: 'http://127.0.0.1:4000/par',
      status: 201,
    }),
    makeExchange({
      ...shared,
      observer: 'server',
      label: 'PAR',
      requestHeaders: namedSpanHeaders(shared),
      url: 'http://127.0.0.1:4000/par',
      status: 201,
      checks: [{ id: 'par.client', description: 'client ok', ref: 'RFC 9126 §2.1', outcome: 'passed' }],
    }),
    makeExchange({
      from: 'browser',
      label: 'authorize; step #1 <x> %%',
      method: 'GET',
      url: 'http://127.0.0.1:4000/authorize?client_id=c&request_uri=urn%3Ax',
      requestHeaders: { accept: 'text/html' },
      requestBody: null,
      status: 303,
      responseHeaders: { location: 'http://127.0.0.1:5000/callback?code=x', 'set-cookie': 'a=1\nb=2' },
      responseBody: null,
    }),
    makeExchange({
      label: 'token',
      status: 400,
      checks: [failed],
      responseBody: JSON.stringify({ error: 'invalid_dpop_proof', id_token: JWT }),
    }),
    makeExchange({
      to: 'resource_server',
      label: 'GET /api/accounts',
      method: 'GET',
      requestBody: null,
      status: null,
      transportError: 'ECONNRESET',
    }),
  ];
  store.append([
    ...events.slice(0, 3).map((event) => ({ recordingId: meta.id, event })),
    { recordingId: meta.id, event: { type: 'clock', id: 'c1', at: 5, offsetMs: 61_000, reason: '+61 s' } },
    ...events.slice(3).map((event) => ({ recordingId: meta.id, event })),
    { recordingId: meta.id, event: { type: 'note', id: 'n1', at: 6, text: 'Signing keys rotated' } },
  ]);
  return { store, meta: store.find(meta.id)!, events };
}

async function run(format: ExportFormat, f = fixture()) {
  const sink = stringSink();
  await exportRecording(
    format,
    { store: f.store, decoder: createJwtDecoder(), version: '9.9.9' },
    f.meta,
    sink,
  );
  return sink.text();
}

describe('JSON export', () => {
  it('is a valid Recording that round-trips through import', async () => {
    const f = fixture();
    const text = await run('json', f);
    const recording = labEventSchemas().recording.parse(JSON.parse(text));
    expect(recording).toMatchObject({ schemaVersion: 1, name: 'FAPI flow', id: f.meta.id });
    expect(recording.events).toHaveLength(7);
    // JWTs decoded in the export, so it stands on its own.
    const token = recording.events[4];
    expect(token?.type === 'exchange' && token.jwts[0]).toMatchObject({
      kind: 'id_token',
      payload: { sub: 'alice' },
    });

    const imported = await importRecording(f.store, recording);
    expect(imported.id).not.toBe(f.meta.id);
    expect(imported.eventCount).toBe(7);
    const again = labEventSchemas().recording.parse(
      JSON.parse(await run('json', { ...f, meta: f.store.find(imported.id)! })),
    );
    expect(again.events).toEqual(recording.events);
    expect(again.name).toBe('FAPI flow');
  });
});

describe('HAR export', () => {
  it('has every field HAR 1.2 requires, one entry per request (server view kept)', async () => {
    const har = JSON.parse(await run('har'));
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'TRusTY Lab', version: '9.9.9' });
    expect(Array.isArray(har.log.entries)).toBe(true);
    expect(har.log.entries).toHaveLength(4); // client view of PAR merged away; notes and clock left out
    for (const entry of har.log.entries) {
      expect(new Date(entry.startedDateTime).toISOString()).toBe(entry.startedDateTime);
      expect(typeof entry.time).toBe('number');
      for (const key of ['method', 'url', 'httpVersion']) expect(typeof entry.request[key]).toBe('string');
      for (const key of ['cookies', 'headers', 'queryString'])
        expect(Array.isArray(entry.request[key])).toBe(true);
      expect(entry.request.headersSize).toBe(-1);
      expect(typeof entry.request.bodySize).toBe('number');
      expect(typeof entry.response.status).toBe('number');
      expect(typeof entry.response.statusText).toBe('string');
      expect(typeof entry.response.httpVersion).toBe('string');
      expect(Array.isArray(entry.response.headers)).toBe(true);
      expect(typeof entry.response.content.size).toBe('number');
      expect(typeof entry.response.content.mimeType).toBe('string');
      expect(typeof entry.response.redirectURL).toBe('string');
      expect(typeof entry.response.headersSize).toBe('number');
      expect(typeof entry.response.bodySize).toBe('number');
      expect(entry.cache).toEqual({});
      for (const key of ['send', 'wait', 'receive']) expect(entry.timings[key]).toBeGreaterThanOrEqual(0);
      for (const h of [...entry.request.headers, ...entry.response.headers]) {
        expect(Object.keys(h).sort()).toEqual(['name', 'value']);
      }
    }
    const [par, authorize, token, api] = har.log.entries;
    expect(par._trustyLab.observer).toBe('server');
    expect(par.request.postData).toEqual({
      mimeType: 'application/x-www-form-urlencoded',
      params: [],
      text: 'grant_type=authorization_code&code=abc',
    });
    expect(authorize.request.queryString).toEqual([
      { name: 'client_id', value: 'c' },
      { name: 'request_uri', value: 'urn:x' },
    ]);
    expect(authorize.request.postData).toBeUndefined();
    expect(authorize.response.redirectURL).toBe('http://127.0.0.1:5000/callback?code=x');
    expect(authorize.response.statusText).toBe('See Other');
    expect(authorize.response.headers.filter((h: { name: string }) => h.name === 'set-cookie')).toHaveLength(
      2,
    );
    expect(token.response.content.text).toContain('invalid_dpop_proof');
    expect(token._trustyLab.checks[0].ref).toBe('RFC 9449 §4.3 (9)');
    expect(api.response.status).toBe(0);
  });
});

describe('Markdown export', () => {
  it('has a title, a sequence diagram with escaped labels, and a section per exchange', async () => {
    const md = await run('md');
    expect(md.startsWith('# FAPI flow\n')).toBe(true);
    const diagram = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1];
    expect(diagram).toBeDefined();
    const lines = diagram!.split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    for (const p of ['Browser', 'Client', 'AS as Authorization server', 'RS as Resource server']) {
      expect(lines).toContain(`  participant ${p}`);
    }
    const arrows = lines.filter((l) => /->>|-->>/.test(l));
    // 4 requests (client view of PAR merged), each with its response arrow.
    expect(arrows).toEqual([
      '  Client->>AS: PAR',
      '  AS-->>Client: 201',
      '  Browser->>AS: authorize#59; step #35;1 #60;x#62; #37;#37;',
      '  AS-->>Browser: 303',
      '  Client->>AS: token',
      '  AS-->>Client: 400',
      '  Client->>RS: GET /api/accounts',
      '  RS-->>Client: no response',
    ]);
    // Every line after the header is a participant, an arrow or a note: nothing a label broke.
    for (const line of lines.slice(1)) {
      // A raw `;` or `#` only ever appears inside an entity code such as `#59;`.
      expect(line).toMatch(
        /^ {2}(participant \w+( as [\w ]+)?|\w+-?->>\w+: |Note over \w+,\w+: )([^;#%<>\n]|#\d+;)*$/,
      );
    }
    expect(lines).toContain('  Note over Browser,RS: clock: +61 s');
    expect(md).toContain('## 3. Client → AS: token (400)');
    expect(md).toContain(
      '| failed | `dpop.htu` | htu \\| matches | RFC 9449 §4.3 (9) | invalid_dpop_proof: htu mismatch |',
    );
    expect(md).toContain('"sub": "alice"'); // the decoded id_token
    expect(md).toContain('Transport error: ECONNRESET');
  });

  it('escapes what would break a Mermaid message', () => {
    expect(escapeMermaid('a;b#c\nd%%e<f>"g"')).toBe('a#59;b#35;c d#37;#37;e#60;f#62;#34;g#34;');
  });
});

describe('event schema validation', () => {
  it('accepts a captured exchange and refuses malformed ones', () => {
    expect(labEventSchemas().labEvent.safeParse(makeExchange()).success).toBe(true);
    expect(labEventSchemas().labEvent.safeParse(makeExchange({ traceId: 'xyz' })).success).toBe(false);
    expect(labEventSchemas().labEvent.safeParse({ ...makeExchange(), observer: 'attacker' }).success).toBe(
      false,
    );
    expect(labEventSchemas().labEvent.safeParse({ type: 'unknown', id: 'x' }).success).toBe(false);
  });

  it('refuses a recording of another schema version', () => {
    const recording = { schemaVersion: 2, id: 'r', name: 'n', createdAt: 1, events: [] };
    expect(labEventSchemas().recording.safeParse(recording).success).toBe(false);
    expect(labEventSchemas().recording.safeParse({ ...recording, schemaVersion: 1 }).success).toBe(true);
  });
});

describe('Markdown export escapes recorded text', () => {
  it('keeps labels and names from injecting HTML or breaking headings', async () => {
    const { markdownText } = await import('../../../src/server/lab/export-markdown');
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownText('a\n# b `c`')).toBe('a \\# b \\`c\\`');
  });
});
