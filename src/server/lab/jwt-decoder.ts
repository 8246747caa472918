import type { KeyObject } from 'node:crypto';
import { privateMembersOf } from '../domain/jwk-private-members';
import { signatureKeyNames } from '../domain/signature-key-names';
import { importClientKey } from '../infrastructure/client-authentication/client-key-cache';
import { importDpopKey } from '../infrastructure/dpop/dpop-key-cache';
import {
  isJwsAlg,
  jwkThumbprintSync,
  keyObjectOf,
  rsaKeyTooLarge,
  verifyCompactJwsSync,
} from '../infrastructure/jws';
import {
  calculateJwkThumbprint,
  compactVerify,
  importJWK,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { jsonDepthWithin, MAX_JWT_JSON_DEPTH } from '../../common/json-depth';
import type { DecodedJwt, Exchange, LabEvent } from '../../common/lab-events';
import { findJwts, type FoundJwt, type JwtKind } from './jwt-finder';

export interface JwtToResolve {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly kind: JwtKind;
  readonly location: string;
}

/** Finds the key that should have signed a JWT, and names it (`server:<kid>`, `client:<id>:<kid>`). */
export type ResolveJwtKey = (
  jwt: JwtToResolve,
) => Promise<{ key: CryptoKey | Uint8Array | JWK; name: string } | undefined>;

export interface JwtDecoder {
  decode(found: FoundJwt): Promise<DecodedJwt | undefined>;
  /**
   * The exchange with its JWTs decoded and verified. Exchanges that already carry decoded JWTs (an
   * imported recording) are returned as they are. Memoised per event object and per JWT.
   */
  enrich<E extends LabEvent>(event: E): Promise<E>;
  /**
   * The provider verified (or made) the signature of `jws` with the key `key` names, while handling a
   * request (check.ts, witnessSignature): the JWT is then shown verified with that key without being
   * verified again. Kept until that JWT is decoded, and for the last WITNESSED_SIGNATURES only.
   */
  witnessSignature(jws: string, key: string): void;
}

type Decoded = Omit<DecodedJwt, 'location' | 'kind'> | null;

/** Signature algorithms whose verification proves possession of a private key (JWA, RFC 7518 §3.1). */
const ASYMMETRIC_ALGS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
  'Ed25519',
];

/**
 * A part of a compact JWS (RFC 7515 §7.1) as the JSON object it encodes, or undefined. The finder
 * passes only strings of base64url characters; bytes that are not UTF-8 read as U+FFFD, so that the
 * inspector shows what it can of a malformed JWT. An object nested deeper than MAX_JWT_JSON_DEPTH is
 * not decoded: the JWT is then shown as found, undecoded.
 */
function jsonObjectOf(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      jsonDepthWithin(value, MAX_JWT_JSON_DEPTH)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Most signatures witnessed and not yet decoded: about three per token request, decoded as soon as
 * the event stream sends the exchange; beyond this (a viewer far behind), the oldest are verified
 * again when their turn comes.
 */
const WITNESSED_SIGNATURES = 4096;

/**
 * Decodes and verifies JWTs lazily, when an event is served (SSE, API, export), never on the request
 * path: capture must not slow the provider down. Results are cached by JWT, since one access token
 * shows up in many exchanges.
 *
 * Signatures in the algorithms the provider itself uses (ES256, PS256, RS256, EdDSA) are verified
 * synchronously with node:crypto, as the provider verifies them; others with jose. jose verifies
 * through WebCrypto, whose every call waits for the thread pool: an open lab UI then fell behind a
 * provider under load, until the event stream dropped it as too slow.
 */
export function createJwtDecoder(
  resolveJwtKey?: ResolveJwtKey,
  { cacheSize = 5000, oneShotCacheSize = 500, cacheChars = 4_000_000, oneShotCacheChars = 1_000_000 } = {},
): JwtDecoder {
  // Bounded in count and in the characters of the JWTs kept: decoded, a JWT can take ten times its
  // size (a 16 KB one of 1,900 short claims about 150 KB), and 5,000 of those took the provider's RSS
  // to 800 MB. 4 MB holds about 4,000 usual tokens.
  const byJwt = boundedCache<Promise<Decoded>>(cacheSize, cacheChars);
  // DPoP proofs and client assertions are made for one request (RFC 9449 §4.3 (11), RFC 7523 §3 (7):
  // a jti once): met again only in the demo client's report of that request, which comes right
  // after. Kept apart, they do not push the tokens, met in exchange after exchange, out of the cache.
  const oneShot = boundedCache<Promise<Decoded>>(oneShotCacheSize, oneShotCacheChars);
  const byEvent = new WeakMap<object, Promise<LabEvent>>();
  const witnessed = new Map<string, string>();

  const decodeUncached = async (found: FoundJwt): Promise<Decoded> => {
    const parts = found.raw.split('.');
    const header = jsonObjectOf(parts[0]) as ProtectedHeaderParameters | undefined;
    const payload = jsonObjectOf(parts[1]) as JWTPayload | undefined;
    if (header === undefined || payload === undefined) return null; // shaped like a JWT but is not one
    return { raw: found.raw, header, payload, signature: await verifySignature(found, header, payload) };
  };

  /** The key the provider verified `raw` with, once: the decoded JWT is cached from then on. */
  const witnessedBy = (raw: string): string | undefined => {
    const key = witnessed.get(raw);
    if (key !== undefined) witnessed.delete(raw);
    return key;
  };

  const verifySignature = async (
    found: FoundJwt,
    header: ProtectedHeaderParameters,
    payload: JWTPayload,
  ): Promise<DecodedJwt['signature']> => {
    try {
      if (found.kind === 'dpop_proof') {
        // RFC 9449 §4.3 (7): a DPoP proof is verified with the public key in its own `jwk` header.
        if (!header.jwk || typeof header.alg !== 'string') {
          return { verified: false, detail: 'no embedded jwk or alg' };
        }
        // RFC 9449 §4.3 (5), (7): only an asymmetric algorithm and a public key can prove possession;
        // the inspector must not call such a proof verified even when its MAC or signature checks out.
        if (!ASYMMETRIC_ALGS.includes(header.alg) || (header.jwk as JWK).kty === 'oct') {
          return { verified: false, detail: `alg ${header.alg} is not an asymmetric signature algorithm` };
        }
        const privateMembers = privateMembersOf(header.jwk as object);
        if (privateMembers.length > 0) {
          return {
            verified: false,
            detail: `the embedded jwk holds private key members (${privateMembers.join(', ')})`,
          };
        }
        const tooLarge = rsaKeyTooLarge(header.jwk as Record<string, unknown>);
        if (tooLarge)
          return { verified: false, detail: `the embedded jwk is too large to verify with: ${tooLarge}` };
        const witnessedKey = witnessedBy(found.raw);
        if (witnessedKey !== undefined) return { verified: true, key: witnessedKey };
        const embedded = isJwsAlg(header.alg) ? embeddedKey(header.jwk as JWK, header.alg) : undefined;
        if (embedded) {
          const name = signatureKeyNames.embeddedJwk(embedded.thumbprint);
          return checkedSync(found.raw, embedded.key, header.alg, name);
        }
        const key = await importJWK(header.jwk as JWK, header.alg);
        const name = signatureKeyNames.embeddedJwk(await calculateJwkThumbprint(header.jwk as JWK));
        return checked(found.raw, key, name);
      }
      const witnessedKey = witnessedBy(found.raw);
      if (witnessedKey !== undefined) return { verified: true, key: witnessedKey };
      const resolved = await resolveJwtKey?.({ header, payload, kind: found.kind, location: found.location });
      if (!resolved) return { verified: null, detail: 'no known key for this JWT' };
      const keyObject = publicKeyObject(resolved.key, header.alg);
      if (keyObject) return checkedSync(found.raw, keyObject, header.alg as string, resolved.name);
      return checked(found.raw, resolved.key, resolved.name);
    } catch (e) {
      return { verified: null, detail: `could not check: ${(e as Error).message}` };
    }
  };

  const decode = async (found: FoundJwt): Promise<DecodedJwt | undefined> => {
    const cacheKey = `${found.kind}\u0000${found.raw}`;
    const isOneShot = found.kind === 'dpop_proof' || found.kind === 'client_assertion';
    const cache = isOneShot ? oneShot : byJwt;
    let pending = cache.get(cacheKey);
    if (!pending) {
      pending = decodeUncached(found);
      cache.set(cacheKey, pending);
    }
    const decoded = await pending;
    return decoded ? { location: found.location, kind: found.kind, ...decoded } : undefined;
  };

  const enrichExchange = async (exchange: Exchange): Promise<Exchange> => {
    const decoded = await Promise.all(findJwts(exchange).map(decode));
    return { ...exchange, jwts: decoded.filter((jwt): jwt is DecodedJwt => jwt !== undefined) };
  };

  return {
    witnessSignature(jws, key) {
      witnessed.set(jws, key);
      if (witnessed.size > WITNESSED_SIGNATURES) witnessed.delete(witnessed.keys().next().value as string);
    },
    decode,
    enrich<E extends LabEvent>(event: E): Promise<E> {
      if (event.type !== 'exchange' || event.jwts.length > 0) return Promise.resolve(event);
      let pending = byEvent.get(event);
      if (!pending) {
        pending = enrichExchange(event);
        byEvent.set(event, pending);
      }
      return pending as Promise<E>;
    },
  };
}

/** A Map that drops its oldest entries past `maxEntries` entries or `maxChars` characters of keys. */
function boundedCache<V>(maxEntries: number, maxChars: number) {
  const entries = new Map<string, V>();
  let chars = 0;
  return {
    get: (key: string): V | undefined => entries.get(key),
    set(key: string, value: V): void {
      if (!entries.has(key)) chars += key.length;
      entries.set(key, value);
      while (entries.size > maxEntries || (chars > maxChars && entries.size > 1)) {
        const oldest = entries.keys().next().value as string; // Map keeps insertion order
        entries.delete(oldest);
        chars -= oldest.length;
      }
    },
  };
}

/**
 * A DPoP proof's embedded key imported for `alg`, through the provider's own cache of DPoP keys (the
 * proof's key is usually there already), and its RFC 7638 thumbprint; undefined when either is
 * refused (jose then verifies, and says why).
 */
function embeddedKey(jwk: JWK, alg: string): { key: KeyObject; thumbprint: string } | undefined {
  try {
    return { key: importDpopKey(jwk, alg), thumbprint: jwkThumbprintSync(jwk) };
  } catch {
    return undefined;
  }
}

/**
 * The key as a public KeyObject for node:crypto, when `alg` is one the provider uses and the key is
 * public (a CryptoKey or a JWK); undefined otherwise (jose then verifies). A client's registered JWK
 * goes through the provider's cache of client keys, by the same object. An HMAC secret (Uint8Array)
 * never gets here: no asymmetric algorithm verifies with one.
 */
function publicKeyObject(key: CryptoKey | Uint8Array | JWK, alg: unknown): KeyObject | undefined {
  if (!isJwsAlg(alg)) return undefined;
  if (key instanceof CryptoKey) {
    // With the checks jose makes on a CryptoKey for `alg` (type, algorithm, usage), as the provider's
    // own verification does; a key that fails them is left to jose, which says why.
    try {
      return keyObjectOf(key, alg, 'verify');
    } catch {
      return undefined;
    }
  }
  if (key instanceof Uint8Array) return undefined;
  return importClientKey(key, alg);
}

/** verifyCompactJwsSync's verdict, in the inspector's words. */
function checkedSync(raw: string, key: KeyObject, alg: string, name: string): DecodedJwt['signature'] {
  try {
    verifyCompactJwsSync(raw, key, alg);
    return { verified: true, key: name };
  } catch (e) {
    return { verified: false, key: name, detail: (e as Error).message };
  }
}

async function checked(
  raw: string,
  key: CryptoKey | Uint8Array | JWK,
  name: string,
): Promise<DecodedJwt['signature']> {
  try {
    await compactVerify(raw, key, { algorithms: ASYMMETRIC_ALGS });
    return { verified: true, key: name };
  } catch (e) {
    return { verified: false, key: name, detail: (e as Error).message };
  }
}
