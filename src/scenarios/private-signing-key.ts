import {
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { SigningAlg } from '../client';

/** RFC 7518 §3.1: the key type each algorithm signs with; §3.4: the curves; RFC 8037 §3.1: Ed25519. */
const KEY_TYPE: Record<SigningAlg, { kty: 'EC' | 'RSA' | 'OKP'; crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  RS256: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

/** RFC 7518 §6.2.1, §6.3.1 and RFC 8037 §2: the members of the public key within a private JWK. */
const PUBLIC_MEMBERS = { EC: ['crv', 'x', 'y'], RSA: ['n', 'e'], OKP: ['crv', 'x'] } as const;

const isSigningAlg = (alg: unknown): alg is SigningAlg =>
  typeof alg === 'string' && Object.hasOwn(KEY_TYPE, alg);

/**
 * What keeps a JWK of a client config from signing client assertions with its `alg`, in words; undefined
 * when it can. Such a key was taken as it came and every scenario of its client failed with "could not
 * run" or with the provider refusing a signature. node:crypto takes a private JWK's public members as
 * they are given, even when `d` belongs to another key: one signature made and verified with the
 * public members alone tells.
 */
export function privateSigningKeyProblem(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const { alg } = jwk;
  if (!isSigningAlg(alg)) return `alg must be one of ${Object.keys(KEY_TYPE).join(', ')}`;
  if (jwk.d === undefined) return 'a private key (with d) is needed to sign';
  const expected = KEY_TYPE[alg];
  if (jwk.kty !== expected.kty || (expected.crv !== undefined && jwk.crv !== expected.crv)) {
    return `${alg} needs kty ${expected.kty}${expected.crv ? ` with crv ${expected.crv}` : ''}`;
  }
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const members = Object.fromEntries(PUBLIC_MEMBERS[expected.kty].map((name) => [name, jwk[name]]));
    publicKey = createPublicKey({ key: { kty: expected.kty, ...members } as JsonWebKey, format: 'jwk' });
  } catch (e) {
    return `not a valid key (${(e as Error).message})`;
  }
  const digest = expected.kty === 'OKP' ? null : 'sha256';
  const probe = Buffer.from('trusty-lab private key check');
  if (!verify(digest, probe, publicKey, sign(digest, probe, privateKey))) {
    return 'its d does not belong to its public key';
  }
  return undefined;
}
