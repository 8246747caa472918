import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { sha256Base64url } from './base64url';
import type { ClientClock } from './clock';
import { signCompactJws } from './jws-sign';
import { applyOverrides, type ClaimOverrides } from './overrides';
import { generateJti } from './random';

/** FAPI 2.0 SP §5.4.1: ES256, PS256 or EdDSA; RS256 only to show that a FAPI server rejects it. */
export type DpopAlg = 'ES256' | 'PS256' | 'EdDSA' | 'RS256';

export interface DpopKeyPair {
  readonly alg: DpopAlg;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** The public key as a JWK, public members only (RFC 9449 §4.2: `jwk` must not hold a private key). */
  readonly publicJwk: JWK;
  /** RFC 7638 thumbprint of the public key: the `dpop_jkt` (RFC 9449 §10) and the token's `cnf.jkt`. */
  readonly thumbprint: string;
}

/** The members of a public JWK per key type (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2). */
const publicMembers: Record<string, readonly string[]> = {
  EC: ['kty', 'crv', 'x', 'y'],
  RSA: ['kty', 'n', 'e'],
  OKP: ['kty', 'crv', 'x'],
};

export function publicJwkOf(jwk: JWK): JWK {
  const members = publicMembers[jwk.kty ?? ''];
  if (!members) throw new TypeError(`unsupported key type ${String(jwk.kty)}`);
  const source = jwk as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const name of members) if (source[name] !== undefined) result[name] = source[name];
  return result as JWK;
}

/**
 * A fresh DPoP key pair. The private key is a non-extractable WebCrypto key by default, so that the
 * renderer's script cannot read it out (RFC 9449 §2, "the private key … should be non-exportable").
 */
export async function generateDpopKeyPair(
  alg: DpopAlg = 'ES256',
  { extractable = false }: { extractable?: boolean } = {},
): Promise<DpopKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg === 'EdDSA' ? 'Ed25519' : alg, { extractable });
  const publicJwk = publicJwkOf(await exportJWK(publicKey));
  return { alg, privateKey, publicKey, publicJwk, thumbprint: await jwkThumbprint(publicJwk) };
}

/** RFC 7638 §3: base64url SHA-256 of the required members of the public key, in lexicographic order. */
export async function jwkThumbprint(key: CryptoKey | JWK): Promise<string> {
  const jwk = 'kty' in key && typeof key.kty === 'string' ? key : await exportJWK(key as CryptoKey);
  return calculateJwkThumbprint(publicJwkOf(jwk), 'sha256');
}

/** RFC 9449 §4.2: `ath` = base64url(SHA-256(ASCII(access token))). */
export function accessTokenHash(accessToken: string): Promise<string> {
  return sha256Base64url(accessToken);
}

/** RFC 9449 §4.2: `htu` is the target URI without query and fragment. */
export function htuOf(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

export interface DpopProofOptions {
  keyPair: DpopKeyPair;
  /** The JWS `alg` written in the header; defaults to the key pair's. */
  alg?: string;
  /** The HTTP method of the request (RFC 9449 §4.2 `htm`). */
  htm: string;
  /** The request URI; query and fragment are dropped (RFC 9449 §4.2 `htu`). */
  htu: string;
  /** A server-provided nonce (RFC 9449 §8). */
  nonce?: string;
  /** The access token the proof accompanies, at a protected resource: adds `ath` (RFC 9449 §4.2). */
  accessToken?: string;
  jti?: string;
  /** Seconds since the epoch; defaults to the clock's. */
  iat?: number;
  clock?: ClientClock;
  /** Claims added to the payload (`exp`, `nbf`…), before the overrides. */
  extraClaims?: Record<string, unknown>;
  /** Forge the header: a value replaces a member, `undefined` removes it (e.g. `{ alg: 'none' }`). */
  headerOverrides?: ClaimOverrides;
  /** Forge the payload: a value replaces a claim, `undefined` removes it (e.g. `{ htm: 'GET' }`). */
  payloadOverrides?: ClaimOverrides;
}

/** A DPoP proof JWT (RFC 9449 §4.2): `typ: dpop+jwt`, the public `jwk` in the header, signed by its key. */
export async function createDpopProof(options: DpopProofOptions): Promise<string> {
  const { keyPair } = options;
  const header = applyOverrides(
    { typ: 'dpop+jwt', alg: options.alg ?? keyPair.alg, jwk: keyPair.publicJwk },
    options.headerOverrides,
  );
  const iat = options.iat ?? options.clock?.epochSeconds() ?? Math.floor(Date.now() / 1000);
  const base: Record<string, unknown> = {
    jti: options.jti ?? generateJti(),
    htm: options.htm,
    htu: htuOf(options.htu),
    iat,
  };
  if (options.nonce !== undefined) base.nonce = options.nonce;
  if (options.accessToken !== undefined) base.ath = await accessTokenHash(options.accessToken);
  const payload = applyOverrides({ ...base, ...options.extraClaims }, options.payloadOverrides);
  return signCompactJws(header, payload, keyPair.privateKey, keyPair.alg);
}
