import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { captureResponseBody } from '../../../src/server/lab/capture-response';

/** What the tee touches of a response: write and end, each recording what reached it. */
function fakeResponse() {
  const written: unknown[] = [];
  const res = {
    write: (chunk: unknown) => {
      written.push(chunk);
      return true;
    },
    end: (chunk?: unknown) => {
      if (chunk !== undefined) written.push(chunk);
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, written };
}

describe('captureResponseBody', () => {
  it('gives the body once, when the response is over, and passes every write through', () => {
    const { res, written } = fakeResponse();
    const body = captureResponseBody(res);
    res.write('{"a":');
    res.end(Buffer.from('1}'));
    expect(body.take()).toBe('{"a":1}');
    expect(written).toEqual(['{"a":', Buffer.from('1}')]);
    expect(() => body.take()).toThrow(/taken already/);
  });

  it('passes on what a handler writes after the exchange was recorded, without keeping it', () => {
    const { res, written } = fakeResponse();
    const body = captureResponseBody(res);
    expect(body.take()).toBeNull(); // the client went away before any answer
    res.end('late');
    expect(written).toEqual(['late']);
  });

  it('makes no function per response: every teed response shares one write and one end', () => {
    // A function made per response as its `end` grew V8's young generation fourfold under load.
    const first = fakeResponse().res;
    const second = fakeResponse().res;
    captureResponseBody(first);
    captureResponseBody(second);
    expect(first.write).toBe(second.write);
    expect(first.end).toBe(second.end);
  });

  it('refuses to tee a response twice', () => {
    const { res, written } = fakeResponse();
    const body = captureResponseBody(res);
    expect(() => captureResponseBody(res)).toThrow(/teed already/);
    res.end('ok');
    expect(body.take()).toBe('ok');
    expect(written).toEqual(['ok']);
  });
});
