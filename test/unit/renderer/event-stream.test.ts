import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/common/lab-events';
import { labEventsOf, runEventStream, type StreamStatus } from '../../../src/renderer/lab/event-stream';
import { LabApiClient } from '../../../src/renderer/lab/lab-api-client';
import { exchange, note } from './fixtures';

function sse(events: LabEvent[]): string {
  return events.map((e) => `event: lab\nid: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

describe('lab event stream', () => {
  it('keeps valid lab events and drops messages that fail the schema', () => {
    const good = note('hello');
    const { events, rejected } = labEventsOf([
      { event: 'lab', data: JSON.stringify(good), id: good.id },
      { event: 'lab', data: JSON.stringify({ type: 'exchange', id: 'x' }), id: 'x' },
      { event: 'lab', data: 'not json', id: 'y' },
      { event: 'ping', data: '{}', id: undefined },
    ]);
    expect(events).toEqual([good]);
    expect(rejected).toBe(2);
  });

  it('reads events with the secret in a header and resumes with ?since= after a drop', async () => {
    const first = [exchange(), note('n1')];
    const second = [note('n2')];
    const urls: string[] = [];
    const auth: string[] = [];
    const received: LabEvent[] = [];
    const statuses: StreamStatus[] = [];
    const abort = new AbortController();
    let call = 0;
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(String(input));
      auth.push((init?.headers as Record<string, string>).Authorization ?? '');
      call++;
      const body = call === 1 ? `retry: 1\n\n${sse(first)}` : call === 2 ? sse(second) : '';
      if (call >= 2) abort.abort();
      // Split the body mid-message to exercise the parser across chunks.
      const bytes = new TextEncoder().encode(body);
      const cut = Math.floor(bytes.length / 2);
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(bytes.slice(0, cut));
            controller.enqueue(bytes.slice(cut));
            controller.close();
          },
        }),
      );
    }) as typeof fetch;
    await runEventStream({
      api: new LabApiClient('sekret', 'http://lab', fetchImpl),
      onEvents: (events) => received.push(...events),
      onStatus: (s) => statuses.push(s),
      signal: abort.signal,
      fetchImpl,
    });
    expect(received.map((e) => e.id)).toEqual([...first, ...second].map((e) => e.id));
    expect(urls[0]).toBe('http://lab/lab/api/events');
    expect(urls[1]).toBe(`http://lab/lab/api/events?since=${first[1]?.id}`);
    expect(auth.every((a) => a === 'Bearer sekret')).toBe(true);
    expect(statuses[0]).toBe('connecting');
    expect(statuses).toContain('live');
    expect(statuses.at(-1)).toBe('closed');
  });

  it('stops, saying why, when the lab refuses the secret (no endless retries)', async () => {
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return new Response('{"error":"unauthorized"}', { status: 401 });
    }) as typeof fetch;
    const statuses: [StreamStatus, string | undefined][] = [];
    await runEventStream({
      api: new LabApiClient('stale', 'http://lab', fetchImpl),
      onEvents: () => {},
      onStatus: (s, detail) => statuses.push([s, detail]),
      signal: new AbortController().signal,
      fetchImpl,
    });
    expect(calls).toBe(1);
    expect(statuses.at(-1)?.[0]).toBe('closed');
    expect(statuses.at(-1)?.[1]).toMatch(/HTTP 401/);
  });
});
