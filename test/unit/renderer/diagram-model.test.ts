import { describe, expect, it } from 'vitest';
import {
  addEvent,
  createDiagramModel,
  createRowCache,
  formatOffset,
  LANES,
  visibleRows,
} from '../../../src/renderer/model/diagram-model';
import { outcomeOf, toneOf } from '../../../src/renderer/model/outcome';
import { check, clock, exchange, note, span } from './fixtures';

describe('diagram model', () => {
  it('has the four lifelines in flow order', () => {
    expect(LANES).toEqual(['browser', 'client', 'authorization_server', 'resource_server']);
  });

  it('draws a request arrow and its response arrow, in arrival order, with separators in place', () => {
    const par = exchange({ label: 'PAR', url: 'http://as/par', status: 201 });
    const authorize = exchange({
      label: 'authorize',
      from: 'browser',
      method: 'GET',
      url: 'http://as/authorize?x=1',
      status: 303,
    });
    const model = createDiagramModel([par, note('login'), authorize, clock(61_000)]);
    const rows = visibleRows(model);
    expect(rows.map((r) => r.kind)).toEqual(['request', 'response', 'note', 'request', 'response', 'clock']);
    const [req, res, , req2] = rows;
    expect(req).toMatchObject({ kind: 'request', from: 'client', to: 'authorization_server', outcome: 'ok' });
    expect(req).toMatchObject({ text: 'PAR', request: 'POST /par' });
    expect(res).toMatchObject({ kind: 'response', from: 'authorization_server', to: 'client', text: '201' });
    expect(req2).toMatchObject({ from: 'browser', to: 'authorization_server', outcome: 'redirect' });
    expect(rows[5]).toMatchObject({ kind: 'clock' });
    expect(rows[5] && rows[5].text).toContain('+1 min 1 s');
  });

  it('merges the client and the server views of one request (same traceId + spanId) into one arrow', () => {
    const server = exchange({ observer: 'server', spanId: span(0xabc), checks: [check('passed')] });
    const client = exchange({ observer: 'client', spanId: span(0xabc), checks: [] });
    const other = exchange({ observer: 'client', spanId: span(0xdef) });
    const model = createDiagramModel([client, server, other]);
    expect(model.items).toHaveLength(2);
    const first = model.items[0];
    expect(first?.kind === 'exchange' && first.exchange.server?.id).toBe(server.id);
    expect(first?.kind === 'exchange' && first.exchange.client?.id).toBe(client.id);
    expect(visibleRows(model)).toHaveLength(4);
  });

  it('draws a second view from the same observer with the same ids as an arrow of its own', () => {
    // A caller chooses its traceparent: reusing one must not let a later request hide an earlier one.
    const token = exchange({ observer: 'server', spanId: span(7), label: 'token' });
    const jwks = exchange({ observer: 'server', spanId: span(7), label: 'jwks' });
    const client = exchange({ observer: 'client', spanId: span(7), label: 'token' });
    const model = createDiagramModel([token, jwks, client]);
    expect(model.items).toHaveLength(2);
    const [first, second] = model.items;
    expect(first?.kind === 'exchange' && first.exchange.server?.id).toBe(token.id);
    expect(first?.kind === 'exchange' && first.exchange.client?.id).toBe(client.id);
    expect(second?.kind === 'exchange' && second.exchange.server?.id).toBe(jwks.id);
    expect(new Set(model.items.map((item) => item.key)).size).toBe(2);
  });

  it('does not merge views of different traces that share a span id', () => {
    const a = exchange({ observer: 'server', spanId: span(5) });
    const b = exchange({ observer: 'client', spanId: span(5), traceId: 'f'.repeat(32) });
    expect(createDiagramModel([a, b]).items).toHaveLength(2);
  });

  it('ignores an event replayed with the same id', () => {
    const model = createDiagramModel();
    const e = exchange();
    expect(addEvent(model, e)).toBe(true);
    const version = model.version;
    expect(addEvent(model, e)).toBe(false);
    expect(model.version).toBe(version);
    expect(model.items).toHaveLength(1);
  });

  it('keeps arrival order even when a later event carries an earlier time (lab clock reset)', () => {
    const late = exchange({ label: 'first', startedAt: 2_000_000_000_000 });
    const early = exchange({ label: 'second', startedAt: 1_000 });
    const rows = visibleRows(createDiagramModel([late, early])).filter((r) => r.kind === 'request');
    expect(rows.map((r) => r.text)).toEqual(['first', 'second']);
  });

  it('colours by outcome: a failed check is highlighted even on a 200', () => {
    const model = createDiagramModel([
      exchange({ status: 200 }),
      exchange({ status: 302 }),
      exchange({ status: 400 }),
      exchange({ status: 500 }),
      exchange({ status: 200, checks: [check('passed'), check('failed')] }),
      exchange({ observer: 'client', status: null, transportError: 'fetch failed' }),
      exchange({ status: null }),
    ]);
    const outcomes = visibleRows(model)
      .filter((r) => r.kind === 'request')
      .map((r) => ('outcome' in r ? r.outcome : ''));
    expect(outcomes).toEqual([
      'ok',
      'redirect',
      'client_error',
      'server_error',
      'check_failed',
      'transport_error',
      'pending',
    ]);
    expect(outcomes.map((o) => toneOf(o as never))).toEqual([
      'ok',
      'ok',
      'error',
      'error',
      'failed-check',
      'error',
      'neutral',
    ]);
  });

  it('uses the worst outcome of both views when merged', () => {
    const s = span(0x99);
    const model = createDiagramModel([
      exchange({ observer: 'client', spanId: s, status: 400, checks: [] }),
      exchange({ observer: 'server', spanId: s, status: 400, checks: [check('failed')] }),
    ]);
    const res = visibleRows(model)[1];
    expect(res).toMatchObject({ kind: 'response', outcome: 'check_failed' });
    expect(res?.text).toBe('400 · 1 check failed');
  });

  it('treats skipped checks as not failed', () => {
    expect(outcomeOf({ status: 200, checks: [check('skipped')], transportError: undefined })).toBe('ok');
  });

  it('filters by search words over label, URL, status and check refs', () => {
    const model = createDiagramModel([
      exchange({ label: 'userinfo', url: 'http://as/userinfo', method: 'GET' }),
      exchange({ label: 'token', checks: [check('passed', 'dpop.ath', 'RFC 9449 §4.3 (12)')] }),
      note('Step: exchange the code'),
    ]);
    expect(visibleRows(model, 'userinfo').map((r) => r.kind)).toEqual(['request', 'response']);
    expect(visibleRows(model, 'rfc 9449').map((r) => r.text)).toEqual(['token', '200']);
    expect(visibleRows(model, 'STEP code')).toHaveLength(1);
    expect(visibleRows(model, 'nothing-matches')).toHaveLength(0);
  });

  it('maps the lab actor onto the client lane', () => {
    const rows = visibleRows(createDiagramModel([exchange({ from: 'lab', to: 'authorization_server' })]));
    expect(rows[0]).toMatchObject({ from: 'client' });
  });

  it('reuses row objects of unchanged items and rebuilds a merged one', () => {
    const cache = createRowCache();
    const s = span(0x77);
    const model = createDiagramModel([exchange(), exchange({ observer: 'client', spanId: s, status: null })]);
    const before = visibleRows(model, '', cache);
    addEvent(model, exchange({ observer: 'server', spanId: s, status: 200 }));
    const after = visibleRows(model, '', cache);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).not.toBe(before[2]);
    expect(after[3]?.text).toBe('200');
  });

  it('appends to a 1,000-exchange diagram quickly', () => {
    const model = createDiagramModel();
    const cache = createRowCache();
    for (let i = 0; i < 1000; i++) addEvent(model, exchange());
    visibleRows(model, '', cache);
    const t0 = performance.now();
    addEvent(model, exchange());
    const rows = visibleRows(model, '', cache);
    const elapsed = performance.now() - t0;
    expect(rows).toHaveLength(2002);
    expect(elapsed).toBeLessThan(16);
  });

  it('formats clock offsets', () => {
    expect(formatOffset(61_000)).toBe('1 min 1 s');
    expect(formatOffset(600_000)).toBe('10 min');
    expect(formatOffset(-5_000)).toBe('-5 s');
    expect(formatOffset(0)).toBe('0 s');
  });
});

describe('CORS preflights', () => {
  it('are hidden when asked, shown otherwise', () => {
    const model = createDiagramModel([
      exchange({ method: 'OPTIONS', label: 'token' }),
      exchange({ method: 'POST' }),
    ]);
    expect(visibleRows(model, '', undefined, { hidePreflights: true })).toHaveLength(2);
    expect(visibleRows(model)).toHaveLength(4);
  });
});
