import { isTimeValue } from '../../common/time-value';

/**
 * Plain-language meanings of the registered claims the lab's tokens carry, shown on hover in the
 * token views. Each entry names the clause that defines the claim so a reader can look it up.
 */
export interface ClaimMeaning {
  title: string;
  explanation: string;
  ref: string;
  /** Seconds since the epoch: shown as a date too. */
  isTime?: boolean;
}

export const claimGlossary: Readonly<Record<string, ClaimMeaning>> = {
  iss: {
    title: 'Issuer',
    explanation: 'Who issued the token. The client compares it exactly with the issuer it discovered.',
    ref: 'RFC 7519 §4.1.1',
  },
  sub: {
    title: 'Subject',
    explanation:
      'The user (or, in a client assertion, the client) the token is about; stable for this issuer.',
    ref: 'RFC 7519 §4.1.2',
  },
  aud: {
    title: 'Audience',
    explanation:
      'Who the token is meant for. An ID token names the client_id; a client assertion names the issuer.',
    ref: 'RFC 7519 §4.1.3',
  },
  exp: {
    title: 'Expires at',
    explanation: 'After this moment the token must be refused.',
    ref: 'RFC 7519 §4.1.4',
    isTime: true,
  },
  iat: {
    title: 'Issued at',
    explanation: 'When the token was created. DPoP proofs are accepted only within a short window of it.',
    ref: 'RFC 7519 §4.1.6',
    isTime: true,
  },
  nbf: {
    title: 'Not before',
    explanation: 'The token must not be accepted before this moment (allowing a little clock skew).',
    ref: 'RFC 7519 §4.1.5',
    isTime: true,
  },
  jti: {
    title: 'JWT ID',
    explanation: 'A unique id, so a server can spot a replayed proof or assertion.',
    ref: 'RFC 7519 §4.1.7',
  },
  auth_time: {
    title: 'Authentication time',
    explanation: 'When the user actually logged in (not when this token was issued).',
    ref: 'OpenID Connect Core 1.0 §2',
    isTime: true,
  },
  nonce: {
    title: 'Nonce',
    explanation:
      'The value the client sent in its authorization request, echoed back so the client can bind the ID token to that request.',
    ref: 'OpenID Connect Core 1.0 §2',
  },
  acr: {
    title: 'Authentication context class',
    explanation: 'How strongly the user was authenticated, as a named level.',
    ref: 'OpenID Connect Core 1.0 §2',
  },
  amr: {
    title: 'Authentication methods',
    explanation: 'Which methods the user logged in with, e.g. "pwd" for a password.',
    ref: 'OpenID Connect Core 1.0 §2, RFC 8176',
  },
  azp: {
    title: 'Authorized party',
    explanation: 'The client the ID token was issued to, when that is not obvious from aud.',
    ref: 'OpenID Connect Core 1.0 §2',
  },
  scope: {
    title: 'Scope',
    explanation: 'The permissions granted to the access token, space-separated.',
    ref: 'RFC 9068 §2.2.3, RFC 6749 §3.3',
  },
  client_id: {
    title: 'Client ID',
    explanation: 'The client the access token was issued to.',
    ref: 'RFC 9068 §2.2, RFC 8693 §4.3',
  },
  cnf: {
    title: 'Confirmation',
    explanation:
      'Binds the token to a key. With DPoP, cnf.jkt is the thumbprint of the client’s proof key: only the holder of that key can use the token.',
    ref: 'RFC 7800 §3.1, RFC 9449 §6.1',
  },
  'cnf.jkt': {
    title: 'JWK thumbprint confirmation',
    explanation:
      'SHA-256 thumbprint of the DPoP public key the token is bound to. Every DPoP proof sent with the token must be signed by that key.',
    ref: 'RFC 9449 §6.1, RFC 7638',
  },
  jkt: {
    title: 'JWK thumbprint',
    explanation: 'SHA-256 thumbprint of the DPoP public key the token is bound to.',
    ref: 'RFC 9449 §6.1',
  },
  at_hash: {
    title: 'Access token hash',
    explanation:
      'Left half of the hash of the access token issued alongside this ID token, so the two are tied together.',
    ref: 'OpenID Connect Core 1.0 §3.1.3.6',
  },
  sid: {
    title: 'Session ID',
    explanation: 'Identifies the user’s login session at the provider; used by logout.',
    ref: 'OpenID Connect Front-Channel Logout 1.0 §3',
  },
  htm: {
    title: 'HTTP method',
    explanation: 'The method of the request this DPoP proof was made for.',
    ref: 'RFC 9449 §4.2',
  },
  htu: {
    title: 'HTTP URI',
    explanation: 'The URL (without query and fragment) of the request this DPoP proof was made for.',
    ref: 'RFC 9449 §4.2',
  },
  ath: {
    title: 'Access token hash',
    explanation: 'base64url SHA-256 of the access token sent with the proof: ties the proof to that token.',
    ref: 'RFC 9449 §4.2',
  },
};

/** The glossary entry of a claim (or a dotted sub-claim such as `cnf.jkt`), if any. */
export function explainClaim(name: string): ClaimMeaning | undefined {
  return Object.prototype.hasOwnProperty.call(claimGlossary, name) ? claimGlossary[name] : undefined;
}

/** A claim value for display; times also as an ISO date, when they are one (`exp: 1e20` is not). */
export function formatClaimValue(name: string, value: unknown): string {
  if (explainClaim(name)?.isTime && typeof value === 'number' && isTimeValue(value * 1000)) {
    return `${value} (${new Date(value * 1000).toISOString().replace('.000Z', 'Z')})`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
