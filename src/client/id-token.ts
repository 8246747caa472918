import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ensure, ensureAsync, skip, type ClientCheckLog } from './client-check';
import type { ClientClock } from './clock';
import { decodeJwt } from './jwt-inspect';

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The nonce of the authorization request; undefined after a refresh (OIDC Core §12.2: none sent). */
  nonce: string | undefined;
  /** The provider's keys; `refresh` asks for a fresh copy (after a key rotation). */
  getJwks: (refresh: boolean) => Promise<JSONWebKeySet>;
  /** Accepted `alg` values (FAPI 2.0 SP §5.4.1: PS256, ES256, EdDSA). */
  algorithms: string[];
  clock: ClientClock;
  /** Tolerated clock difference, seconds. */
  skewSeconds?: number;
  /** After a refresh: the claims of the ID token the client already holds (OIDC Core §12.2). */
  previous?: ValidatedIdToken['claims'];
}

export interface ValidatedIdToken {
  header: Record<string, unknown>;
  claims: JWTPayload & { nonce?: string; azp?: string };
  kid: string | undefined;
}

const ref = (n: number) => `OpenID Connect Core §3.1.3.7 (${n})`;
const signature = {
  id: 'id_token.signature',
  description: 'signed by a key of the provider’s JWKS',
  ref: ref(6),
};
const algorithm = { id: 'id_token.alg', description: 'signed with an accepted algorithm', ref: ref(7) };
const issuer = { id: 'id_token.iss', description: 'iss equals the issuer exactly', ref: ref(2) };
const audience = { id: 'id_token.aud', description: 'aud contains the client_id', ref: ref(3) };
const subject = {
  id: 'id_token.sub',
  description: 'sub, the end-user at the issuer, is present: a non-empty string',
  ref: 'OpenID Connect Core §2',
};
const azp = { id: 'id_token.azp', description: 'with several audiences, azp is the client_id', ref: ref(5) };
const expiry = { id: 'id_token.exp', description: 'the token has not expired', ref: ref(9) };
const issuedAt = { id: 'id_token.iat', description: 'iat is present and not in the future', ref: ref(10) };
const nonce = { id: 'id_token.nonce', description: 'nonce equals the nonce of the request', ref: ref(11) };
const sameSubject = {
  id: 'id_token.refresh.same_subject',
  description: 'a refreshed ID token names the same iss, sub, aud and auth_time as the original',
  ref: 'OpenID Connect Core §12.2',
};

/** Validates an ID token received at the token endpoint (OpenID Connect Core §3.1.3.7), each rule a check. */
export async function validateIdToken(
  idToken: string,
  expected: IdTokenExpectations,
  checks?: ClientCheckLog,
): Promise<ValidatedIdToken> {
  const { header } = decodeJwt(idToken);
  const alg = header.alg;
  ensure(
    checks,
    algorithm,
    typeof alg === 'string' && expected.algorithms.includes(alg),
    () => `alg ${String(alg)}`,
  );

  await ensureAsync(checks, signature, async () => {
    const verifyWith = async (refresh: boolean) =>
      compactVerify(idToken, createLocalJWKSet(await expected.getJwks(refresh)), {
        algorithms: expected.algorithms,
      });
    try {
      return await verifyWith(false);
    } catch (e) {
      // A kid we do not know: the provider may have rotated its keys; fetch them once more.
      if (e instanceof errors.JWKSNoMatchingKey) return verifyWith(true);
      throw e;
    }
  });

  const claims = decodeJwt(idToken).payload as ValidatedIdToken['claims'];
  const now = expected.clock.epochSeconds();
  const skew = expected.skewSeconds ?? 60;

  ensure(checks, issuer, claims.iss === expected.issuer, () => `got ${String(claims.iss)}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  ensure(checks, audience, audiences.includes(expected.clientId), () => `aud ${JSON.stringify(claims.aud)}`);
  ensure(
    checks,
    subject,
    typeof claims.sub === 'string' && claims.sub !== '',
    () => `sub ${JSON.stringify(claims.sub)}`,
  );
  if (audiences.length > 1 || claims.azp !== undefined) {
    ensure(checks, azp, claims.azp === expected.clientId, () => `azp ${String(claims.azp)}`);
  }
  ensure(
    checks,
    expiry,
    typeof claims.exp === 'number' && now < claims.exp + skew,
    () => `exp ${String(claims.exp)}, now ${now}`,
  );
  ensure(
    checks,
    issuedAt,
    typeof claims.iat === 'number' && claims.iat <= now + skew,
    () => `iat ${String(claims.iat)}, now ${now}`,
  );
  if (expected.nonce === undefined) {
    skip(checks, nonce, 'no nonce was sent (refresh)');
  } else {
    ensure(checks, nonce, claims.nonce === expected.nonce, () =>
      claims.nonce === undefined ? 'the ID token has no nonce' : 'the nonce differs from the one sent',
    );
  }
  if (expected.previous) {
    const before = expected.previous;
    const sameAudience =
      JSON.stringify([before.aud].flat().sort()) === JSON.stringify(audiences.slice().sort());
    ensure(
      checks,
      sameSubject,
      claims.iss === before.iss &&
        claims.sub === before.sub &&
        sameAudience &&
        (claims.auth_time === undefined || claims.auth_time === before.auth_time),
      () => `sub ${String(claims.sub)} (was ${String(before.sub)}), auth_time ${String(claims.auth_time)}`,
    );
  }
  return { header, claims, kid: typeof header.kid === 'string' ? header.kid : undefined };
}
