import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ClientClock } from '../../../src/client/clock';
import {
  accessTokenHash,
  createDpopProof,
  generateDpopKeyPair,
  jwkThumbprint,
} from '../../../src/client/dpop';
import { decodeJwt } from '../../../src/client/jwt-inspect';

async function verifyProof(proof: string) {
  const header = decodeProtectedHeader(proof);
  const key = await importJWK(header.jwk as JWK, header.alg);
  return compactVerify(proof, key);
}

describe('DPoP proofs (RFC 9449 §4.2)', () => {
  it('are a dpop+jwt signed by the key whose public jwk is in the header', async () => {
    const keyPair = await generateDpopKeyPair();
    const proof = await createDpopProof({ keyPair, htm: 'POST', htu: 'https://op.example/token' });
    await expect(verifyProof(proof)).resolves.toBeDefined();
    const { header, payload } = decodeJwt(proof);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.alg).toBe('ES256');
    expect(header.jwk).toEqual(keyPair.publicJwk);
    expect(Object.keys(header.jwk as object).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(payload.htm).toBe('POST');
    expect(payload.htu).toBe('https://op.example/token');
    expect(typeof payload.jti).toBe('string');
    expect((payload.jti as string).length).toBeGreaterThanOrEqual(22);
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(payload).not.toHaveProperty('ath');
    expect(payload).not.toHaveProperty('nonce');
  });

  it('drop the query and fragment from htu', async () => {
    const keyPair = await generateDpopKeyPair();
    const proof = await createDpopProof({ keyPair, htm: 'GET', htu: 'https://rs.example/api/x?y=1#z' });
    expect(decodeJwt(proof).payload.htu).toBe('https://rs.example/api/x');
  });

  it('carry ath = base64url(SHA-256(access token)) and the server nonce', async () => {
    const keyPair = await generateDpopKeyPair();
    // The access token of RFC 9449 §7.1's example and its ath.
    const token = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
    expect(await accessTokenHash(token)).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
    const proof = await createDpopProof({
      keyPair,
      htm: 'GET',
      htu: 'https://rs.example/api',
      accessToken: token,
      nonce: 'n-1',
    });
    const { payload } = decodeJwt(proof);
    expect(payload.ath).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
    expect(payload.nonce).toBe('n-1');
  });

  it('use a fresh jti for every proof', async () => {
    const keyPair = await generateDpopKeyPair();
    const a = await createDpopProof({ keyPair, htm: 'GET', htu: 'https://x.example/' });
    const b = await createDpopProof({ keyPair, htm: 'GET', htu: 'https://x.example/' });
    expect(decodeJwt(a).payload.jti).not.toBe(decodeJwt(b).payload.jti);
  });

  it('take iat from the client clock with its offset', async () => {
    const keyPair = await generateDpopKeyPair();
    const clock = new ClientClock(0, () => 1_000_000_000_000);
    clock.setOffset(120_000);
    const proof = await createDpopProof({ keyPair, htm: 'GET', htu: 'https://x.example/', clock });
    expect(decodeJwt(proof).payload.iat).toBe(1_000_000_120);
  });

  it('keep the private key non-extractable by default', async () => {
    const keyPair = await generateDpopKeyPair();
    expect(keyPair.privateKey.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('jwk', keyPair.privateKey)).rejects.toThrow();
    const extractable = await generateDpopKeyPair('ES256', { extractable: true });
    expect(extractable.privateKey.extractable).toBe(true);
  });

  it.each(['PS256', 'EdDSA'] as const)('sign with %s too', async (alg) => {
    const keyPair = await generateDpopKeyPair(alg);
    const proof = await createDpopProof({ keyPair, htm: 'POST', htu: 'https://op.example/token' });
    expect(decodeJwt(proof).header.alg).toBe(alg);
    await expect(verifyProof(proof)).resolves.toBeDefined();
  });

  it('let scenarios forge faults explicitly', async () => {
    const keyPair = await generateDpopKeyPair();
    const unsigned = await createDpopProof({
      keyPair,
      htm: 'POST',
      htu: 'https://op.example/token',
      headerOverrides: { alg: 'none' },
    });
    expect(unsigned.endsWith('.')).toBe(true);
    expect(decodeJwt(unsigned).header.alg).toBe('none');

    const forged = await createDpopProof({
      keyPair,
      htm: 'POST',
      htu: 'https://op.example/token',
      extraClaims: { exp: 1 },
      headerOverrides: { typ: 'JWT', jwk: { ...keyPair.publicJwk, d: 'private' } },
      payloadOverrides: { htm: 'GET', jti: undefined },
    });
    const { header, payload } = decodeJwt(forged);
    expect(header.typ).toBe('JWT');
    expect((header.jwk as Record<string, unknown>).d).toBe('private');
    expect(payload.htm).toBe('GET');
    expect(payload).not.toHaveProperty('jti');
    expect(payload.exp).toBe(1);
    // Still validly signed by the key, so that the server's later checks are what refuses it.
    await expect(compactVerify(forged, keyPair.publicKey)).resolves.toBeDefined();
  });
});

describe('JWK thumbprint (RFC 7638)', () => {
  it('matches the §3.1 example', async () => {
    const jwk: JWK = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(await jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('is the dpop_jkt of a generated key, from the CryptoKey or its JWK', async () => {
    const keyPair = await generateDpopKeyPair();
    expect(keyPair.thumbprint).toBe(await calculateJwkThumbprint(keyPair.publicJwk));
    expect(await jwkThumbprint(keyPair.publicKey)).toBe(keyPair.thumbprint);
  });
});
