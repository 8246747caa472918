import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { sendPage } from '../../../src/server/http/html-response';

/** What sendPage set on a response, without a server. */
function capture() {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string) => void headers.set(name.toLowerCase(), value),
    status: () => res,
    type: () => res,
    send: () => res,
  };
  return {
    res: res as unknown as Response,
    formAction: () => /form-action ([^;]*)/.exec(headers.get('content-security-policy') ?? '')?.[1],
  };
}

describe('sendPage', () => {
  it('lets the form end up at each redirect target a CSP can express', () => {
    const { res, formAction } = capture();
    sendPage(res, 200, '<p>page</p>', ['https://rp.example/cb?x=1', 'http://127.0.0.1:53123/callback']);
    expect(formAction()).toBe("'self' https://rp.example http://127.0.0.1:53123");
  });

  it('a loopback redirect URI on [::1] (RFC 8252 §7.3) is allowed by scheme, not a server error', () => {
    const { res, formAction } = capture();
    sendPage(res, 200, '<p>page</p>', ['http://[::1]:53123/callback']);
    expect(formAction()).toBe("'self' http:");
  });

  it('leaves out a target no CSP source can express, and keeps the others', () => {
    const { res, formAction } = capture();
    sendPage(res, 200, '<p>page</p>', ['javascript:alert(1)', 'https://rp.example/cb']);
    expect(formAction()).toBe("'self' https://rp.example");
  });
});
