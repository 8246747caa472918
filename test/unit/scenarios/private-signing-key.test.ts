import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateSigningKeyProblem } from '../../../src/scenarios/private-signing-key';

type Jwk = Record<string, unknown>;
const jwkOf = (pair: { privateKey: { export(options: { format: 'jwk' }): object } }): Jwk =>
  pair.privateKey.export({ format: 'jwk' }) as Jwk;
const ecKey = (namedCurve: string): Jwk => jwkOf(generateKeyPairSync('ec', { namedCurve }));
const ed25519Key = (): Jwk => jwkOf(generateKeyPairSync('ed25519'));

const p256 = ecKey('P-256');
const p384 = ecKey('P-384');
const rsa = jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }));
const ed25519 = ed25519Key();

describe('privateSigningKeyProblem (a client config key that is to sign assertions)', () => {
  it('accepts a private key of the type and curve its alg signs with', () => {
    for (const [key, alg] of [
      [p256, 'ES256'],
      [p384, 'ES384'],
      [rsa, 'PS256'],
      [rsa, 'PS384'],
      [rsa, 'RS256'],
      [ed25519, 'EdDSA'],
      [ed25519, 'Ed25519'],
    ] as const) {
      expect(privateSigningKeyProblem({ ...key, alg }), alg).toBeUndefined();
    }
  });

  it('refuses an alg the client cannot sign with, or none', () => {
    expect(privateSigningKeyProblem({ ...p256 })).toMatch(/^alg must be one of ES256, /);
    expect(privateSigningKeyProblem({ ...p256, alg: 'HS256' })).toMatch(/^alg must be one of /);
    expect(privateSigningKeyProblem({ ...p256, alg: 'none' })).toMatch(/^alg must be one of /);
  });

  it('refuses a public key', () => {
    const { d: _d, ...publicOnly } = p256;
    expect(privateSigningKeyProblem({ ...publicOnly, alg: 'ES256' })).toBe(
      'a private key (with d) is needed to sign',
    );
  });

  it('refuses a key of another type or curve than its alg', () => {
    expect(privateSigningKeyProblem({ ...p384, alg: 'ES256' })).toBe('ES256 needs kty EC with crv P-256');
    expect(privateSigningKeyProblem({ ...p256, alg: 'RS256' })).toBe('RS256 needs kty RSA');
    expect(privateSigningKeyProblem({ ...rsa, alg: 'EdDSA' })).toBe('EdDSA needs kty OKP with crv Ed25519');
  });

  it('refuses members that are no key', () => {
    expect(privateSigningKeyProblem({ ...p256, x: 'AAAA', alg: 'ES256' })).toMatch(/^not a valid key \(/);
    expect(privateSigningKeyProblem({ ...rsa, n: 42, alg: 'RS256' })).toMatch(/^not a valid key \(/);
  });

  it('refuses a d that belongs to another key than the public members (node:crypto imports it)', () => {
    const other = ecKey('P-256');
    expect(privateSigningKeyProblem({ ...p256, d: other.d, alg: 'ES256' })).toBe(
      'its d does not belong to its public key',
    );
    const otherEd = ed25519Key();
    expect(privateSigningKeyProblem({ ...ed25519, d: otherEd.d, alg: 'EdDSA' })).toBe(
      'its d does not belong to its public key',
    );
  });
});
