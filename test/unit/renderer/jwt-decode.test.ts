import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { decodeToken, looksLikeJwt, verifyWithJwks } from '../../../src/renderer/model/jwt-decode';
import { claimGlossary, explainClaim, formatClaimValue } from '../../../src/renderer/model/claim-glossary';

async function signed() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const jwt = await new SignJWT({ sub: 'alice', nonce: 'n' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'JWT' })
    .setIssuer('http://as')
    .setIssuedAt(1_700_000_000)
    .sign(privateKey);
  return { jwt, jwks: { keys: [jwk] } };
}

describe('token decoder', () => {
  it('decodes the header and payload of a compact JWS', async () => {
    const { jwt } = await signed();
    const d = decodeToken(jwt);
    expect(d.form).toBe('jws');
    expect(d.header).toEqual({ alg: 'ES256', kid: 'k1', typ: 'JWT' });
    expect(d.payload).toMatchObject({ sub: 'alice', iss: 'http://as', iat: 1_700_000_000 });
  });

  it('calls a handle opaque and a broken JWT invalid', () => {
    expect(decodeToken('Zm9vYmFy_opaque-handle').form).toBe('opaque');
    expect(looksLikeJwt('a.b')).toBe(false);
    const broken = decodeToken('eyJhbGciOi.eyJzdWIiOiJ4In0.sig');
    expect(broken.form).toBe('invalid');
    expect(broken.error).toBeTruthy();
    // A payload that is JSON but not an object is not a JWT claims set (RFC 7519 §7.2 (10)).
    expect(decodeToken(`${btoa('{}').replace(/=/g, '')}.${btoa('[1]').replace(/=/g, '')}.x`).form).toBe(
      'invalid',
    );
  });

  it('calls a JWT nested more than 32 levels deep invalid, so that no view recurses into it', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const nested = (depth: number) =>
      `${b64('{"alg":"none"}')}.${b64(`{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`)}.`;
    expect(decodeToken(nested(32)).form).toBe('jws');
    const deep = decodeToken(nested(5000));
    expect(deep).toMatchObject({ form: 'invalid', payload: {}, error: 'nested more than 32 levels deep' });
  });

  it('verifies the signature against the JWKS, and reports a tampered token as not verified', async () => {
    const { jwt, jwks } = await signed();
    expect(await verifyWithJwks(jwt, jwks)).toMatchObject({ verified: true, kid: 'k1' });
    const [h, , s] = jwt.split('.');
    const forged = `${h}.${btoa(JSON.stringify({ sub: 'mallory' })).replace(/=/g, '')}.${s}`;
    expect((await verifyWithJwks(forged, jwks)).verified).toBe(false);
  });

  it('cannot verify without a matching key or without a JWKS', async () => {
    const { jwt } = await signed();
    const other = await signed();
    const otherJwks = { keys: [{ ...other.jwks.keys[0], kid: 'k2' }] };
    expect((await verifyWithJwks(jwt, otherJwks)).verified).toBeNull();
    expect((await verifyWithJwks(jwt, null)).verified).toBeNull();
    expect((await verifyWithJwks('opaque', otherJwks)).verified).toBeNull();
  });
});

describe('claim glossary', () => {
  it('explains every registered claim the lab shows, with a clause', () => {
    for (const claim of [
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'nbf',
      'jti',
      'auth_time',
      'nonce',
      'acr',
      'amr',
      'azp',
      'scope',
      'client_id',
      'cnf',
      'cnf.jkt',
      'at_hash',
      'sid',
    ]) {
      const meaning = explainClaim(claim);
      expect(meaning, claim).toBeDefined();
      expect(meaning?.explanation.length, claim).toBeGreaterThan(10);
      expect(meaning?.ref, claim).toMatch(/RFC|OpenID/);
    }
  });

  it('does not explain unknown or inherited names', () => {
    expect(explainClaim('favourite_colour')).toBeUndefined();
    expect(explainClaim('toString')).toBeUndefined();
    expect(Object.keys(claimGlossary)).not.toContain('constructor');
  });

  it('shows time claims as dates too, other values as they are', () => {
    expect(formatClaimValue('exp', 1_700_000_000)).toBe('1700000000 (2023-11-14T22:13:20Z)');
    expect(formatClaimValue('sub', 'alice')).toBe('alice');
    expect(formatClaimValue('aud', ['a', 'b'])).toBe('["a","b"]');
    expect(formatClaimValue('jti', 1_700_000_000)).toBe('1700000000');
    // Not a date a Date can hold: shown as it is, rather than throwing in the view.
    expect(formatClaimValue('exp', 1e20)).toBe('100000000000000000000');
  });
});
