import { randomUUID } from 'node:crypto';
import { accessTokenHash, signEs256, type Es256Key } from './compact-jws';

/**
 * The per-request credentials a token or resource request carries, each with a unique `jti` and a
 * fresh `iat`. They are made in bulk just before a timed window so that the generator's own crypto
 * is not measured.
 */

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Seconds a client assertion is valid. The server remembers its `jti` until it expires (RFC 7523 §3
 * (7)), so at the rates a benchmark drives, a longer life fills the replay cache: with 120 s, a run on
 * a machine serving 3,500 token requests a second held 100,000 live entries within its warm-up, and
 * the server refused the rest with 503 (it fails closed). Short, as the proofs' window is
 * (`BENCH_DPOP_PROOF_MAX_AGE`), and long enough for a window or a warm-up after the signing.
 */
export const BENCH_ASSERTION_LIFETIME_SECONDS = 15;

/** RFC 7523 §3 with FAPI 2.0 SP §5.3.2.1 (8): iss = sub = client_id, aud = the issuer identifier. */
export function clientAssertion(clientId: string, kid: string, issuer: string, key: Es256Key): string {
  const iat = nowSeconds();
  return signEs256(
    { alg: 'ES256', kid, typ: 'JWT' },
    {
      iss: clientId,
      sub: clientId,
      aud: issuer,
      jti: randomUUID(),
      iat,
      exp: iat + BENCH_ASSERTION_LIFETIME_SECONDS,
    },
    key.privateKey,
  );
}

/** RFC 9449 §4.2: a DPoP proof for one request, with `ath` when it presents an access token. */
export function dpopProof(key: Es256Key, htm: string, htu: string, accessToken?: string): string {
  const payload: Record<string, unknown> = { jti: randomUUID(), htm, htu, iat: nowSeconds() };
  if (accessToken !== undefined) payload.ath = accessTokenHash(accessToken);
  return signEs256({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk }, payload, key.privateKey);
}
