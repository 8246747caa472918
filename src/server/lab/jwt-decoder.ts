import { privateMembersOf } from '../domain/jwk-private-members';
import {
  calculateJwkThumbprint,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
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
 * Decodes and verifies JWTs lazily, when an event is served (SSE, API, export), never on the request
 * path: capture must not slow the provider down. Results are cached by JWT, since one access token
 * shows up in many exchanges.
 */
export function createJwtDecoder(resolveJwtKey?: ResolveJwtKey, { cacheSize = 5000 } = {}): JwtDecoder {
  const byJwt = new Map<string, Promise<Decoded>>();
  const byEvent = new WeakMap<object, Promise<LabEvent>>();

  const decodeUncached = async (found: FoundJwt): Promise<Decoded> => {
    let header: ProtectedHeaderParameters;
    let payload: JWTPayload;
    try {
      header = decodeProtectedHeader(found.raw);
      payload = decodeJwt(found.raw);
    } catch {
      return null; // shaped like a JWT but is not one
    }
    return { raw: found.raw, header, payload, signature: await verifySignature(found, header, payload) };
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
        const key = await importJWK(header.jwk as JWK, header.alg);
        const name = `embedded jwk ${await calculateJwkThumbprint(header.jwk as JWK)}`;
        return checked(found.raw, key, name);
      }
      const resolved = await resolveJwtKey?.({ header, payload, kind: found.kind, location: found.location });
      if (!resolved) return { verified: null, detail: 'no known key for this JWT' };
      return checked(found.raw, resolved.key, resolved.name);
    } catch (e) {
      return { verified: null, detail: `could not check: ${(e as Error).message}` };
    }
  };

  const decode = async (found: FoundJwt): Promise<DecodedJwt | undefined> => {
    const cacheKey = `${found.kind}\u0000${found.raw}`;
    let pending = byJwt.get(cacheKey);
    if (!pending) {
      pending = decodeUncached(found);
      byJwt.set(cacheKey, pending);
      // Bounded: drop the oldest entry (Map keeps insertion order).
      if (byJwt.size > cacheSize) byJwt.delete(byJwt.keys().next().value as string);
    }
    const decoded = await pending;
    return decoded ? { location: found.location, kind: found.kind, ...decoded } : undefined;
  };

  const enrichExchange = async (exchange: Exchange): Promise<Exchange> => {
    const decoded = await Promise.all(findJwts(exchange).map(decode));
    return { ...exchange, jwts: decoded.filter((jwt): jwt is DecodedJwt => jwt !== undefined) };
  };

  return {
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
