import type { JWK } from 'jose';
import {
  base64urlEncode,
  clientAssertionType,
  createClientAssertion,
  createDpopProof,
  generateJti,
  type ClaimOverrides,
  type ClientClock,
  type DpopKeyPair,
  type SigningAlg,
} from '../client';

/**
 * How a scenario forges a DPoP proof (RFC 9449 §4.2). Everything absent is what an honest client
 * sends; every present member is a visible, deliberate fault.
 */
export interface ProofForgery {
  /** The key whose public JWK goes in the header (and that signs, unless `signWith` says otherwise). */
  readonly key: DpopKeyPair;
  readonly htm?: string;
  readonly htu?: string;
  /** At a resource: the token the proof covers (`ath`). */
  readonly accessToken?: string;
  readonly jti?: string;
  readonly iat?: number;
  /** Header members replaced (a value) or removed (`undefined`). */
  readonly header?: ClaimOverrides;
  /** Payload claims replaced or removed. */
  readonly claims?: ClaimOverrides;
  /** `none`: unsigned (RFC 7518 §3.6); `HS256`: a MAC with a random secret; a key pair: another key signs. */
  readonly signWith?: 'none' | 'HS256' | DpopKeyPair;
}

/** How a scenario forges a client assertion (RFC 7523 §3). */
export interface AssertionForgery {
  readonly header?: ClaimOverrides;
  readonly claims?: ClaimOverrides;
  /** Sign with this key instead of the client's registered one. */
  readonly privateJwk?: JWK;
  readonly alg?: SigningAlg;
}

const encodeJson = (value: unknown): string => base64urlEncode(JSON.stringify(value));

async function hs256(signingInput: string): Promise<string> {
  const secret = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    secret,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signingInput));
  return base64urlEncode(new Uint8Array(mac));
}

/** Splits a compact JWS into its decoded header and payload, to re-sign them another way. */
function decodeParts(jws: string): [Record<string, unknown>, Record<string, unknown>] {
  const [header = '', payload = ''] = jws.split('.');
  const decode = (part: string) =>
    JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
      ),
    ) as Record<string, unknown>;
  return [decode(header), decode(payload)];
}

export async function forgeDpopProof(
  forgery: ProofForgery,
  defaults: { htm: string; htu: string; nonce?: string; clock: ClientClock },
): Promise<string> {
  const signer = typeof forgery.signWith === 'object' ? forgery.signWith : forgery.key;
  const header = {
    ...(forgery.signWith === 'none' ? { alg: 'none' } : {}),
    ...(forgery.signWith === 'HS256' ? { alg: 'HS256' } : {}),
    ...(typeof forgery.signWith === 'object' ? { jwk: forgery.key.publicJwk, alg: signer.alg } : {}),
    ...forgery.header,
  };
  const proof = await createDpopProof({
    keyPair: signer,
    htm: forgery.htm ?? defaults.htm,
    htu: forgery.htu ?? defaults.htu,
    nonce: defaults.nonce,
    accessToken: forgery.accessToken,
    jti: forgery.jti,
    iat: forgery.iat,
    clock: defaults.clock,
    headerOverrides: header,
    payloadOverrides: forgery.claims,
  });
  if (forgery.signWith !== 'HS256') return proof;
  const [h, p] = decodeParts(proof);
  const signingInput = `${encodeJson(h)}.${encodeJson(p)}`;
  return `${signingInput}.${await hs256(signingInput)}`;
}

/** The private_key_jwt parameters (RFC 7523 §2.2) for `clientId`, forged as asked. */
export async function forgeClientAssertion(
  clientId: string,
  keys: readonly JWK[],
  forgery: AssertionForgery | undefined,
  context: { audience: string; clock: ClientClock },
): Promise<Record<string, string>> {
  const privateJwk = forgery?.privateJwk ?? keys[0];
  if (!privateJwk) throw new Error(`no private key for ${clientId}`);
  const alg = forgery?.alg ?? (privateJwk.alg as SigningAlg | undefined) ?? 'ES256';
  // A key is imported for the algorithm it signs with, not the one its JWK advertises.
  const assertion = await createClientAssertion({
    clientId,
    audience: context.audience,
    privateJwk: { ...privateJwk, alg },
    alg,
    clock: context.clock,
    jti: generateJti(),
    headerOverrides: forgery?.header,
    payloadOverrides: forgery?.claims,
  });
  return { client_id: clientId, client_assertion_type: clientAssertionType, client_assertion: assertion };
}
