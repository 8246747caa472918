import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formActionSource, pageCsp } from '../../../src/server/http/views/page-csp';
import { renderLoggedOutPage } from '../../../src/server/http/views/logged-out-page';

const directives = (csp: string): Map<string, string[]> =>
  new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );

describe('pageCsp', () => {
  it('allows no script or other resource, and no framing', () => {
    const csp = directives(pageCsp([]));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.has('script-src')).toBe(false);
  });

  it('allows the inline stylesheet by the hash of the exact text the pages carry', () => {
    const page = renderLoggedOutPage({ locale: 'en' });
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '')
      .digest('base64');
    expect(directives(pageCsp([])).get('style-src')).toEqual([`'sha256-${hash}'`]);
    expect(page).not.toMatch(/\sstyle="/);
  });

  it("lets forms post to 'self' and to the origins of the redirect targets", () => {
    const csp = directives(
      pageCsp(
        ['https://rp.example/cb?x=1', 'https://rp.example/other', 'http://127.0.0.1:8080/cb'].map(
          formActionSource,
        ),
      ),
    );
    expect(csp.get('form-action')).toEqual(["'self'", 'https://rp.example', 'http://127.0.0.1:8080']);
  });

  it('accepts internationalised hosts in their punycode form', () => {
    expect(formActionSource('https://café.example/cb')).toBe('https://xn--caf-dma.example');
  });

  it('gives the same source when given a source, so callers may pass either', () => {
    for (const target of ['https://rp.example/cb', 'com.example.app:/cb', 'http://127.0.0.1:8080/x']) {
      const source = formActionSource(target);
      expect(formActionSource(source)).toBe(source);
    }
  });

  it('turns a private-use redirect scheme into a scheme source (RFC 8252 §7.1)', () => {
    expect(formActionSource('com.example.app:/oauth2redirect')).toBe('com.example.app:');
  });

  it('refuses targets that would inject directives or allow script URLs', () => {
    expect(() => pageCsp(["https://rp.example; script-src 'unsafe-inline'"].map(formActionSource))).toThrow(
      TypeError,
    );
    expect(() => pageCsp(['javascript:alert(1)'].map(formActionSource))).toThrow(TypeError);
    expect(() => pageCsp(['data:text/html,x'].map(formActionSource))).toThrow(TypeError);
    expect(() => pageCsp(['/relative'].map(formActionSource))).toThrow(TypeError);
    // WHATWG URL parses these hosts; a CSP header must never carry them.
    expect(() => pageCsp(["https://x;script-src:'unsafe-inline'/"].map(formActionSource))).toThrow(TypeError);
    expect(() => pageCsp(['https://a,b/'].map(formActionSource))).toThrow(TypeError);
    expect(() => pageCsp(["https://a'b/"].map(formActionSource))).toThrow(TypeError);
  });

  it('keeps every source free of separators even for odd but valid URLs', () => {
    const csp = pageCsp(['https://rp.example:8443/a b;c,d'].map(formActionSource));
    expect(directives(csp).get('form-action')).toEqual(["'self'", 'https://rp.example:8443']);
  });
});

describe('formActionSource for IPv6 loopback redirect URIs (RFC 8252 §7.3)', () => {
  it('allows the http scheme, since a CSP host-source cannot name [::1]', async () => {
    const { formActionSource } = await import('../../../src/server/http/views/page-csp');
    expect(formActionSource('http://[::1]:53123/cb')).toBe('http:');
    expect(() => formActionSource('https://[2001:db8::1]/cb')).toThrow(TypeError);
  });
});
