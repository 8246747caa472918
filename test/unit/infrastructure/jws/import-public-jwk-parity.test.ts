import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { keyObjectOf } from '../../../../src/server/infrastructure/jws';
import { importPublicJwk } from '../../../../src/server/infrastructure/jws/import-public-jwk';

/**
 * importPublicJwk replaced jose's asynchronous importJWK + keyObjectOf for DPoP proof keys and
 * registered client keys: it must accept and refuse the same JWKs, and give the same key.
 */

type Jwk = Record<string, unknown>;

const exportJwk = (key: KeyObject): Jwk => key.export({ format: 'jwk' }) as Jwk;
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ed25519 = generateKeyPairSync('ed25519');
const ed448 = generateKeyPairSync('ed448');
const x25519 = generateKeyPairSync('x25519');

const publicKeys: Record<string, Jwk> = {
  p256: exportJwk(p256.publicKey),
  p384: exportJwk(p384.publicKey),
  rsa: exportJwk(rsa.publicKey),
  rsa1024: exportJwk(rsa1024.publicKey),
  ed25519: exportJwk(ed25519.publicKey),
  ed448: exportJwk(ed448.publicKey),
  x25519: exportJwk(x25519.publicKey),
};
const privateKeys: Record<string, Jwk> = {
  p256: exportJwk(p256.privateKey),
  rsa: exportJwk(rsa.privateKey),
  ed25519: exportJwk(ed25519.privateKey),
};

/** Changes made to each key: the members a JWK may carry, right and wrong. */
const variants: Record<string, (jwk: Jwk) => Jwk> = {
  'as exported': (jwk) => jwk,
  'with kid': (jwk) => ({ ...jwk, kid: 'k1' }),
  'use sig': (jwk) => ({ ...jwk, use: 'sig' }),
  'use enc': (jwk) => ({ ...jwk, use: 'enc' }),
  'use junk': (jwk) => ({ ...jwk, use: 42 }),
  'alg ES256': (jwk) => ({ ...jwk, alg: 'ES256' }),
  'alg PS256': (jwk) => ({ ...jwk, alg: 'PS256' }),
  'alg HS256': (jwk) => ({ ...jwk, alg: 'HS256' }),
  'key_ops verify': (jwk) => ({ ...jwk, key_ops: ['verify'] }),
  'key_ops empty': (jwk) => ({ ...jwk, key_ops: [] }),
  'key_ops sign': (jwk) => ({ ...jwk, key_ops: ['sign'] }),
  'key_ops verify twice': (jwk) => ({ ...jwk, key_ops: ['verify', 'verify'] }),
  'key_ops verify and sign': (jwk) => ({ ...jwk, key_ops: ['verify', 'sign'] }),
  'key_ops verify and encrypt': (jwk) => ({ ...jwk, key_ops: ['verify', 'encrypt'] }),
  'key_ops unknown': (jwk) => ({ ...jwk, key_ops: ['verify', 'frobnicate'] }),
  'key_ops a string': (jwk) => ({ ...jwk, key_ops: 'verify' }),
  'key_ops a number': (jwk) => ({ ...jwk, key_ops: [1] }),
  'ext true': (jwk) => ({ ...jwk, ext: true }),
  'ext false': (jwk) => ({ ...jwk, ext: false }),
  'ext a string': (jwk) => ({ ...jwk, ext: 'true' }),
  'd empty': (jwk) => ({ ...jwk, d: '' }),
  'kty lower case': (jwk) => ({ ...jwk, kty: String(jwk.kty).toLowerCase() }),
  'kty missing': ({ kty: _kty, ...jwk }) => jwk,
  'kty oct': (jwk) => ({ ...jwk, kty: 'oct', k: 'AAAA' }),
  'crv P-384': (jwk) => ({ ...jwk, crv: 'P-384' }),
  'crv missing': ({ crv: _crv, ...jwk }) => jwk,
  'x missing': ({ x: _x, ...jwk }) => jwk,
  'y missing': ({ y: _y, ...jwk }) => jwk,
  'x short': (jwk) => ({ ...jwk, x: 'AAAA' }),
  'x a number': (jwk) => ({ ...jwk, x: 7 }),
  'n missing': ({ n: _n, ...jwk }) => jwk,
  'e missing': ({ e: _e, ...jwk }) => jwk,
  'e a number': (jwk) => ({ ...jwk, e: 65537 }),
  'x5c junk': (jwk) => ({ ...jwk, x5c: ['not a certificate'] }),
  'oth junk': (jwk) => ({ ...jwk, oth: [{}] }),
};

/**
 * The one difference, on purpose: a member that is not a string. WebCrypto's JWK dictionary turns the
 * number 65537 into the string "65537", which then decodes as base64url to some other exponent;
 * node:crypto refuses it (RFC 7518 §6.3.1.2: `e` is a Base64urlUInt string). Both callers refuse such
 * a member before importing anyway (`nonCanonicalKeyMember`).
 */
const STRICTER = new Set(['rsa, e a number', 'rsa1024, e a number']);

const ALGS = ['ES256', 'PS256', 'RS256', 'EdDSA', 'ES384', 'HS256', 'none'];

/** What jose said: the key's SPKI, or that it refused (importJWK, or keyObjectOf after it). */
async function joseOutcome(jwk: Jwk, alg: string): Promise<string> {
  try {
    const key = await importJWK(jwk as JWK, alg);
    if (key instanceof Uint8Array) return 'refused';
    return spki(keyObjectOf(key, alg, 'verify'));
  } catch {
    return 'refused';
  }
}

function ourOutcome(jwk: Jwk, alg: string): string {
  try {
    return spki(importPublicJwk(jwk, alg));
  } catch {
    return 'refused';
  }
}

const spki = (key: KeyObject): string => key.export({ format: 'der', type: 'spki' }).toString('base64url');

const cases = [
  ...Object.entries(publicKeys).flatMap(([name, jwk]) =>
    Object.entries(variants).map(([variant, change]) => [`${name}, ${variant}`, change(jwk)] as const),
  ),
  ...Object.entries(privateKeys).map(([name, jwk]) => [`private ${name}`, jwk] as const),
];

describe('importPublicJwk: parity with jose importJWK + keyObjectOf', () => {
  it.each(ALGS)('accepts and refuses what jose did, for %s', async (alg) => {
    const differences: string[] = [];
    for (const [name, jwk] of cases) {
      const expected = await joseOutcome(jwk, alg);
      const actual = ourOutcome(jwk, alg);
      const wanted = STRICTER.has(name) && expected !== 'refused' ? 'refused' : expected;
      if (actual !== wanted)
        differences.push(`${name}: jose ${expected === 'refused' ? 'refused' : 'accepted'}`);
    }
    expect(differences).toEqual([]);
  });

  it('accepts a good key of each algorithm (the matrix is not all refusals)', () => {
    expect(ourOutcome(publicKeys.p256 as Jwk, 'ES256')).toBe(spki(p256.publicKey));
    expect(ourOutcome(publicKeys.rsa as Jwk, 'PS256')).toBe(spki(rsa.publicKey));
    expect(ourOutcome(publicKeys.rsa as Jwk, 'RS256')).toBe(spki(rsa.publicKey));
    expect(ourOutcome(publicKeys.ed25519 as Jwk, 'EdDSA')).toBe(spki(ed25519.publicKey));
  });
});

describe('importPublicJwk: where it differs from jose on purpose', () => {
  const ones = (bytes: number) => Buffer.alloc(bytes, 0xff).toString('base64url');

  it('refuses an RSA key too large to verify with cheaply, which jose imports', async () => {
    const hugeExponent = { kty: 'RSA', n: ones(384), e: ones(383) };
    const hugeModulus = { kty: 'RSA', n: ones(1025), e: 'AQAB' };
    for (const jwk of [hugeExponent, hugeModulus]) {
      await expect(importJWK(jwk as JWK, 'PS256')).resolves.toBeDefined();
      expect(() => importPublicJwk(jwk, 'PS256')).toThrow(/too large to verify with/);
    }
    // At the bounds: an 8192-bit modulus, a 256-bit exponent.
    expect(() => importPublicJwk({ kty: 'RSA', n: ones(1024), e: ones(32) }, 'PS256')).not.toThrow(
      /too large/,
    );
  });
});
