import { timingSafeEqual } from 'node:crypto';
import { verify, type CheckSpec } from './check';
import { invalidGrant, invalidRequest } from './oauth-error';
import { sha256Base64url } from './sha256';

/** PKCE (RFC 7636) as the provider enforces it: required, S256 only (FAPI 2.0 SP §5.3.2.2). */

export const pkceChallengePresent: CheckSpec = {
  id: 'pkce.challenge_present',
  description: 'The authorization request carries a code_challenge',
  ref: 'RFC 7636 §4.4, FAPI 2.0 SP §5.3.2.2 (4)',
};
export const pkceChallengeMethod: CheckSpec = {
  id: 'pkce.challenge_method',
  description: 'code_challenge_method is S256 (plain, or no method, which means plain, is refused)',
  ref: 'RFC 7636 §4.3, FAPI 2.0 SP §5.3.2.2 (4)',
};
export const pkceChallengeSyntax: CheckSpec = {
  id: 'pkce.challenge_syntax',
  description: 'code_challenge is 43 base64url characters (an S256 digest)',
  ref: 'RFC 7636 §4.2',
};
export const pkceVerifierPresent: CheckSpec = {
  id: 'pkce.verifier_present',
  description: 'The token request carries a code_verifier',
  ref: 'RFC 7636 §4.5',
};
export const pkceVerifierSyntax: CheckSpec = {
  id: 'pkce.verifier_syntax',
  description: 'code_verifier is 43 to 128 unreserved characters',
  ref: 'RFC 7636 §4.1',
};
export const pkceVerifierMatches: CheckSpec = {
  id: 'pkce.verifier',
  description: 'base64url(SHA-256(code_verifier)) equals the code_challenge of the authorization request',
  ref: 'RFC 7636 §4.6',
};

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export interface CodeChallenge {
  readonly code_challenge: string;
  readonly code_challenge_method: 'S256';
}

/**
 * At the authorization and PAR endpoints. Failures are `invalid_request`, sent to the redirect_uri
 * (RFC 7636 §4.4.1) once it has been validated.
 */
export function checkCodeChallenge(params: {
  readonly code_challenge?: unknown;
  readonly code_challenge_method?: unknown;
}): CodeChallenge {
  const { code_challenge, code_challenge_method } = params;
  verify(pkceChallengePresent, typeof code_challenge === 'string' && code_challenge !== '', () =>
    invalidRequest('code_challenge is required (PKCE)'),
  );
  // RFC 7636 §4.3: an absent method means `plain`, which this server does not support.
  verify(pkceChallengeMethod, code_challenge_method === 'S256', () =>
    invalidRequest(
      code_challenge_method === undefined
        ? 'code_challenge_method is required and must be S256 (absent means plain, which is not supported)'
        : 'code_challenge_method must be S256',
    ),
  );
  verify(pkceChallengeSyntax, S256_CHALLENGE.test(code_challenge), () =>
    invalidRequest('code_challenge must be 43 base64url characters'),
  );
  return { code_challenge, code_challenge_method: 'S256' };
}

/** At the token endpoint. Failures are `invalid_grant` (RFC 7636 §4.6). */
export function checkPkceVerifier(code_verifier: unknown, code_challenge: string): void {
  verify(pkceVerifierPresent, typeof code_verifier === 'string' && code_verifier !== '', () =>
    invalidGrant('code_verifier is required'),
  );
  verify(pkceVerifierSyntax, VERIFIER.test(code_verifier), () =>
    invalidGrant('code_verifier must be 43 to 128 unreserved characters'),
  );
  // The verifier is unreserved ASCII by now (pkceVerifierSyntax): its UTF-8 bytes are its ASCII bytes.
  const computed = Buffer.from(sha256Base64url(code_verifier));
  const expected = Buffer.from(code_challenge);
  // Constant time, so that the comparison leaks nothing about the stored challenge.
  verify(
    pkceVerifierMatches,
    computed.length === expected.length && timingSafeEqual(computed, expected),
    () => invalidGrant('code_verifier does not match the code_challenge'),
  );
}
