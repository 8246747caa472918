import { exportJWK } from 'jose';
import type { DpopKeyPair } from '../../client';
import type { ProofForgery } from '../forge';

/**
 * The faults of RFC 9449 §4.3 a proof can carry, shared by the token-endpoint and resource scenarios.
 * Each turns the honest proof of `key` into a faulty one; `undefined` means "send no proof".
 */
export interface DpopFault {
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly clause: string;
  readonly teaching: string;
  /** Proofs to send in place of the honest one. */
  forge(input: {
    key: DpopKeyPair;
    url: string;
    method: string;
    now: number;
    other: DpopKeyPair;
  }): Promise<ProofForgery[] | undefined>;
}

const one = (forgery: ProofForgery): Promise<ProofForgery[]> => Promise.resolve([forgery]);

export const dpopFaults: readonly DpopFault[] = [
  {
    slug: 'missing',
    title: 'no DPoP proof',
    description: 'The request carries no DPoP header although the token or client requires one.',
    clause: 'RFC 9449 §5, §7.1; FAPI 2.0 SP §5.3.2.1 (sender-constrained tokens only)',
    teaching: 'A DPoP-bound token without its proof is just a bearer token again.',
    forge: () => Promise.resolve(undefined),
  },
  {
    slug: 'two-headers',
    title: 'two DPoP headers',
    description:
      'Two valid proofs are sent as two DPoP field values (comma-joined, as a server sees two header lines).',
    clause: 'RFC 9449 §4.3 (1)',
    teaching: 'A server that picks one of several proofs can be made to check one and honour another.',
    forge: ({ key }) => Promise.resolve([{ key }, { key }]),
  },
  {
    slug: 'wrong-htm',
    title: 'wrong htm',
    description: 'The proof names another HTTP method than the request’s.',
    clause: 'RFC 9449 §4.3 (8)',
    teaching:
      'htm and htu confine a proof to one request, so a proof seen for a GET cannot authorise a POST.',
    forge: ({ key, method }) => one({ key, htm: method === 'POST' ? 'GET' : 'POST' }),
  },
  {
    slug: 'wrong-htu',
    title: 'wrong htu',
    description: 'The proof names another URI than the one it is sent to.',
    clause: 'RFC 9449 §4.3 (9)',
    teaching: 'A proof captured at one endpoint must not be usable at another.',
    forge: ({ key, url }) => one({ key, htu: `${url.replace(/\/$/, '')}/elsewhere` }),
  },
  {
    slug: 'stale-iat',
    title: 'stale iat',
    description: 'The proof was made an hour ago.',
    clause: 'RFC 9449 §4.3 (11), §11.1',
    teaching:
      'Proofs are accepted only briefly; otherwise the replay cache would have to remember them forever.',
    // Older than any window a server would set (the lab's dpop_proof_max_age is 600 s at most): five
    // minutes passed for fresh with the lab set to ten.
    forge: ({ key, now }) => one({ key, iat: now - 3600 }),
  },
  {
    slug: 'future-iat',
    title: 'iat in the future',
    description: 'The proof claims to be made two minutes from now.',
    clause: 'RFC 9449 §4.3 (11); FAPI 2.0 SP §5.3.2.1 (skew)',
    teaching: 'A proof dated ahead could be stockpiled now and used later.',
    forge: ({ key, now }) => one({ key, iat: now + 120 }),
  },
  {
    slug: 'future-nbf',
    title: 'nbf in the future',
    description:
      'The proof, made now, carries an extra claim saying it is not valid before two minutes from now.',
    clause: 'RFC 7519 §4.1.5; FAPI 2.0 SP §5.3.2.1 (skew)',
    teaching:
      'Extra claims are allowed in a proof, but a claim that limits it still counts: a proof not valid yet is refused like one dated ahead.',
    forge: ({ key, now }) => one({ key, claims: { nbf: now + 120 } }),
  },
  {
    slug: 'typ',
    title: 'a typ other than dpop+jwt',
    description: 'The proof header says typ JWT.',
    clause: 'RFC 9449 §4.3 (4)',
    teaching: 'Explicit typing stops another kind of JWT signed by the same key from passing for a proof.',
    forge: ({ key }) => one({ key, header: { typ: 'JWT' } }),
  },
  {
    slug: 'alg-none',
    title: 'alg none',
    description: 'The proof is unsigned (alg none).',
    clause: 'RFC 9449 §4.3 (5)',
    teaching: 'An unsigned proof proves possession of nothing.',
    forge: ({ key }) => one({ key, signWith: 'none' }),
  },
  {
    slug: 'hs256',
    title: 'symmetric alg (HS256)',
    description: 'The proof is a MAC (HS256) with a random secret.',
    clause: 'RFC 9449 §4.3 (5) (asymmetric algorithms only)',
    teaching: 'A MAC key would have to be shared with the server, which defeats proof of possession.',
    forge: ({ key }) => one({ key, signWith: 'HS256' }),
  },
  {
    slug: 'private-jwk',
    title: 'private key in the jwk header',
    description: 'The header jwk includes the private key (d).',
    clause: 'RFC 9449 §4.3 (7)',
    teaching:
      'A client that publishes its private key has no key left to prove anything with; the server must refuse it.',
    forge: async ({ key }) => [
      { key, header: { jwk: { ...key.publicJwk, d: (await exportJWK(key.privateKey)).d } } },
    ],
  },
  {
    slug: 'jwk-not-base64url',
    title: 'a jwk member outside base64url',
    description:
      'The header jwk’s x starts with a character that is not base64url (é); the key itself is the right one.',
    clause: 'RFC 9449 §4.3 (7); RFC 7515 §2; RFC 7638 §3',
    teaching:
      'A lenient decoder skips the stray character, so the key imports and the signature verifies, but the key’s thumbprint, computed over the members as written, no longer names it.',
    forge: ({ key }) => one({ key, header: { jwk: { ...key.publicJwk, x: `é${String(key.publicJwk.x)}` } } }),
  },
  {
    slug: 'wrong-signing-key',
    title: 'a proof signed by another key than its header jwk',
    description: 'The header carries the right public key, but another key signed the proof.',
    clause: 'RFC 9449 §4.3 (6)',
    teaching: 'The signature is the proof of possession; a header key alone proves nothing.',
    forge: ({ key, other }) => one({ key, signWith: other }),
  },
  {
    slug: 'missing-jti',
    title: 'no jti',
    description: 'The proof has no jti claim.',
    clause: 'RFC 9449 §4.3 (3), §4.2',
    teaching: 'Without a jti the server cannot detect replay.',
    forge: ({ key }) => one({ key, claims: { jti: undefined } }),
  },
];
