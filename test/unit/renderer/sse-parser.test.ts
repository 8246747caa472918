import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../../src/renderer/lab/sse-parser';

describe('SSE stream parser', () => {
  it('parses one event with event, id and data fields', () => {
    const p = createSseParser();
    const out = p.push('event: lab\nid: e1\ndata: {"a":1}\n\n');
    expect(out).toEqual([{ event: 'lab', id: 'e1', data: '{"a":1}' }]);
    expect(p.lastEventId).toBe('e1');
  });

  it('joins multi-line data with LF and defaults the event type to message', () => {
    const out = createSseParser().push('data: one\ndata: two\n\n');
    expect(out).toEqual([{ event: 'message', id: undefined, data: 'one\ntwo' }]);
  });

  it('does not dispatch before the blank line, and resumes across chunks split anywhere', () => {
    const p = createSseParser();
    const text = 'event: lab\r\nid: 7\r\ndata: {"x":"y"}\r\n\r\nevent: lab\r\ndata: 2\r\n\r\n';
    const got: string[] = [];
    for (const ch of text) for (const m of p.push(ch)) got.push(`${m.id}|${m.data}`);
    // A CR LF split across chunks must not produce an empty line that dispatches early.
    expect(got).toEqual(['7|{"x":"y"}', '7|2']);
  });

  it('ignores comments (heartbeats) and unknown fields, and reads retry', () => {
    const p = createSseParser();
    expect(p.push(': keep-alive\n\n')).toEqual([]);
    expect(p.push('foo: bar\nretry: 1500\ndata: x\n\n')).toEqual([
      { event: 'message', id: undefined, data: 'x' },
    ]);
    expect(p.retryMs).toBe(1500);
    p.push('retry: soon\n\n');
    expect(p.retryMs).toBe(1500);
  });

  it('accepts a field without a space after the colon and a bare CR line end', () => {
    expect(createSseParser().push('data:a\rdata:b\r\r')).toEqual([
      { event: 'message', id: undefined, data: 'a\nb' },
    ]);
  });

  it('drops an event without data and keeps an unfinished one for the next chunk', () => {
    const p = createSseParser();
    expect(p.push('event: lab\n\n')).toEqual([]);
    expect(p.push('data: par')).toEqual([]);
    expect(p.push('tial\n\n')).toEqual([{ event: 'message', id: undefined, data: 'partial' }]);
  });
});
