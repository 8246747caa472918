import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { errors as joseErrors, type JSONWebKeySet, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { issuerKeyResolver } from '../../../src/server/resource-server/issuer-key-resolver';

const publicJwk = (kid: string, type: 'ec' | 'rsa', extra: Partial<JWK> = {}): JWK => {
  const { publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, ...extra };
};

const es1 = publicJwk('es-1', 'ec');
const es2 = publicJwk('es-2', 'ec');
const ps1 = publicJwk('ps-1', 'rsa', { use: 'sig' });
const jwks: JSONWebKeySet = { keys: [es1, es2, ps1] };
const resolve = issuerKeyResolver(() => jwks);
const input = { payload: '', signature: '' };

const jwkOf = (key: unknown) => (key as KeyObject).export({ format: 'jwk' });

describe('issuerKeyResolver: the key of a token in the issuer’s JWK Set, synchronously', () => {
  it('gives the key the header names by kid, for its alg, imported once', () => {
    const key = resolve({ alg: 'ES256', kid: 'es-2' }, input);
    expect(key).toBeInstanceOf(KeyObject);
    expect(jwkOf(key)).toMatchObject({ x: es2.x, y: es2.y });
    expect(resolve({ alg: 'ES256', kid: 'es-2' }, input)).toBe(key);
    expect(jwkOf(resolve({ alg: 'PS256', kid: 'ps-1' }, input))).toMatchObject({ n: ps1.n });
  });

  it('finds no key for an unknown kid, a kid of a key of another type, or a key that is not for signing', () => {
    expect(() => resolve({ alg: 'ES256', kid: 'es-9' }, input)).toThrow(joseErrors.JWKSNoMatchingKey);
    expect(() => resolve({ alg: 'PS256', kid: 'es-1' }, input)).toThrow(joseErrors.JWKSNoMatchingKey);
    const encryption = issuerKeyResolver(() => ({ keys: [publicJwk('enc', 'rsa', { use: 'enc' })] }));
    expect(() => encryption({ alg: 'PS256', kid: 'enc' }, input)).toThrow(joseErrors.JWKSNoMatchingKey);
  });

  it('without kid, takes the only key that fits the alg, and none when several do', () => {
    expect(jwkOf(resolve({ alg: 'PS256' }, input))).toMatchObject({ n: ps1.n });
    expect(() => resolve({ alg: 'ES256' }, input)).toThrow(joseErrors.JWKSNoMatchingKey);
  });

  it('follows the key set the issuer publishes now', () => {
    let published: JSONWebKeySet = { keys: [es1] };
    const following = issuerKeyResolver(() => published);
    expect(jwkOf(following({ alg: 'ES256', kid: 'es-1' }, input))).toMatchObject({ x: es1.x });
    published = { keys: [es2] };
    expect(() => following({ alg: 'ES256', kid: 'es-1' }, input)).toThrow(joseErrors.JWKSNoMatchingKey);
  });
});
