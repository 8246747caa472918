import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { base64urlEncode } from '../../../src/client/base64url';
import { decodeJwt, tryDecodeJwt, verifyWithJwks } from '../../../src/client/jwt-inspect';

async function signed(kid: string) {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwt = await new SignJWT({ sub: 'alice', n: 1 })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(pair.privateKey);
  return { jwt, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' } };
}

describe('decodeJwt', () => {
  it('returns header, payload and signature without verifying', async () => {
    const { jwt } = await signed('k1');
    const decoded = decodeJwt(jwt);
    expect(decoded.header).toEqual({ alg: 'ES256', kid: 'k1' });
    expect(decoded.payload).toEqual({ sub: 'alice', n: 1 });
    expect(decoded.signature).toBe(jwt.split('.')[2]);
  });

  it('refuses what is not a compact JWS of JSON objects', () => {
    expect(() => decodeJwt('a.b')).toThrow(/three parts/);
    expect(() => decodeJwt(`${base64urlEncode('[1]')}.${base64urlEncode('{}')}.`)).toThrow(
      /header is not a JSON object/,
    );
    expect(() => decodeJwt(`${base64urlEncode('{}')}.%%%.x`)).toThrow(/payload/);
    expect(tryDecodeJwt('nonsense')).toBeNull();
  });
});

describe('verifyWithJwks', () => {
  it('says verified and by which kid', async () => {
    const { jwt, publicJwk } = await signed('k1');
    expect(await verifyWithJwks(jwt, { keys: [publicJwk] })).toEqual({ verified: true, kid: 'k1' });
  });

  it('says not verified, and why, for a token from another key', async () => {
    const { jwt } = await signed('k1');
    const other = await signed('k1');
    const result = await verifyWithJwks(jwt, { keys: [other.publicJwk] });
    expect(result.verified).toBe(false);
    expect(result.kid).toBe('k1');
    expect(result.error).toBeTruthy();
  });
});
