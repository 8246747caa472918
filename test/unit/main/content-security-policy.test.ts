import { describe, expect, it } from 'vitest';
import {
  buildLabContentSecurityPolicy,
  FALLBACK_CONTENT_SECURITY_POLICY,
  withContentSecurityPolicy,
} from '../../../src/main/content-security-policy';

const origins = { labOrigin: 'http://127.0.0.1:53123', issuer: 'http://127.0.0.1:53122' };

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
}

describe('buildLabContentSecurityPolicy', () => {
  const policy = directives(buildLabContentSecurityPolicy(origins));

  it('allows scripts from the lab only: no inline script, no eval, no remote script', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    const all = buildLabContentSecurityPolicy(origins);
    expect(all).not.toContain('unsafe-eval');
    expect(all).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(all).not.toContain('*');
  });
  it('lets the demo client reach the provider and nothing else', () => {
    expect(policy.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:53122']);
  });
  it('names a provider on an IPv6 literal by scheme and port, which CSP can express ([::1] it cannot)', () => {
    const ipv6 = directives(
      buildLabContentSecurityPolicy({ labOrigin: 'http://[::1]:53123', issuer: 'http://[::1]:53122' }),
    );
    expect(ipv6.get('connect-src')).toEqual(["'self'", 'http://*:53122']);
    expect(ipv6.get('form-action')).toEqual(["'self'", 'http://*:53122']);
    expect(ipv6.get('script-src')).toEqual(["'self'"]);
  });
  it('forbids plugins, framing and base rewriting', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-src')).toEqual(["'none'"]);
  });
  it('refuses origins that are not http(s) origins', () => {
    expect(() =>
      buildLabContentSecurityPolicy({ ...origins, issuer: "x; script-src 'unsafe-inline'" }),
    ).toThrow();
    expect(() => buildLabContentSecurityPolicy({ ...origins, labOrigin: 'file:///' })).toThrow();
  });
});

describe('withContentSecurityPolicy', () => {
  it('adds the lab policy to lab responses, keeping one the server sent', () => {
    const result = withContentSecurityPolicy(
      'http://127.0.0.1:53123/index.html',
      { 'content-security-policy': ["default-src 'self'"], 'Content-Type': ['text/html'] },
      origins,
    );
    expect(result['Content-Security-Policy']).toEqual([
      "default-src 'self'",
      buildLabContentSecurityPolicy(origins),
    ]);
    expect(result['content-security-policy']).toBeUndefined();
    expect(result['Content-Type']).toEqual(['text/html']);
  });
  it('adds the lab policy when the lab response has none', () => {
    const result = withContentSecurityPolicy('http://127.0.0.1:53123/', {}, origins);
    expect(result['Content-Security-Policy']).toEqual([buildLabContentSecurityPolicy(origins)]);
  });
  it("keeps the provider's own page policy untouched", () => {
    const page = "default-src 'none'; style-src 'sha256-abc'; form-action 'self' http://127.0.0.1:53123";
    const result = withContentSecurityPolicy(
      'http://127.0.0.1:53122/login',
      { 'Content-Security-Policy': [page] },
      origins,
    );
    expect(result['Content-Security-Policy']).toEqual([page]);
  });
  it('puts the fallback on any response without a policy (provider JSON, redirects, anything)', () => {
    for (const url of ['http://127.0.0.1:53122/token', 'https://elsewhere.example/']) {
      const result = withContentSecurityPolicy(url, undefined, origins);
      expect(result['Content-Security-Policy']).toEqual([FALLBACK_CONTENT_SECURITY_POLICY]);
    }
    expect(FALLBACK_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
  });
});
