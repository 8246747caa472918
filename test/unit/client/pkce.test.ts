import { describe, expect, it } from 'vitest';
import { codeChallengeS256, generateCodeVerifier } from '../../../src/client/pkce';
import { generateJti, generateNonce, generateState } from '../../../src/client/random';

describe('PKCE (RFC 7636)', () => {
  it('computes the S256 challenge of the Appendix B example', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('generates verifiers of 43 unreserved characters, never twice the same (§4.1)', () => {
    const verifiers = new Set(Array.from({ length: 50 }, generateCodeVerifier));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
  });
});

describe('state, nonce and jti', () => {
  it('carry at least 128 bits of randomness as base64url', () => {
    for (const value of [generateState(), generateNonce(), generateJti()]) {
      // 16 bytes → 22 base64url characters.
      expect(value.length).toBeGreaterThanOrEqual(22);
      expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(generateState()).not.toBe(generateState());
  });
});
