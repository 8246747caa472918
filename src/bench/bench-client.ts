import { writeFileSync } from 'node:fs';
import { generateEs256Key, type Es256Key } from './compact-jws';

/** The client the load generator plays: registered by its public key; the generator holds the private one. */
export interface BenchClient {
  readonly clientId: string;
  readonly kid: string;
  readonly key: Es256Key;
  readonly redirectUri: string;
  /** The end-user the minted authorization codes belong to. */
  readonly sub: string;
}

export function createBenchClient(): BenchClient {
  return {
    clientId: 'bench-fapi',
    kid: 'bench-es256',
    key: generateEs256Key(),
    redirectUri: 'http://127.0.0.1/cb',
    sub: 'bench-user',
  };
}

/**
 * Seconds a DPoP proof is accepted after its `iat` (`dpop_proof_max_age`; the lab's default is 60).
 * The server remembers each proof's `jti` that long plus the 10 s it allows for clock skew (RFC 9449
 * §11.1), and at a benchmark's rates 70 s of proofs outgrow the replay cache (see
 * BENCH_ASSERTION_LIFETIME_SECONDS). Every proof is used within seconds of its signing: a window is
 * 0.5 s, a warm-up 3 s, a batch of the instruction count 50 requests.
 */
export const BENCH_DPOP_PROOF_MAX_AGE = 10;

/**
 * The lab configuration the benchmarked server runs with: one fapi2 client (private_key_jwt ES256,
 * DPoP-bound tokens, PAR required) registered by its public JWK, and one user. ES256 for the ID
 * token too, so both token scenarios sign with the same algorithm as the access token.
 */
export function benchConfig(client: BenchClient): object {
  return {
    server: { require_pushed_authorization_requests: true, dpop_proof_max_age: BENCH_DPOP_PROOF_MAX_AGE },
    clients: [
      {
        client_id: client.clientId,
        client_name: 'Benchmark client (FAPI 2.0)',
        // FAPI 2.0 SP §5.3.2.2: its loopback redirect URI is a native client's.
        application_type: 'native',
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code', 'client_credentials'],
        scope: 'openid accounts',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        id_token_signed_response_alg: 'ES256',
        require_pushed_authorization_requests: true,
        dpop_bound_access_tokens: true,
        profile: 'fapi2',
        jwks: { keys: [{ ...client.key.publicJwk, kid: client.kid, alg: 'ES256', use: 'sig' }] },
      },
    ],
    users: [{ username: client.sub, password: 'bench-password-unused', claims: { name: 'Bench User' } }],
  };
}

export function writeBenchConfig(path: string, client: BenchClient): void {
  writeFileSync(path, `${JSON.stringify(benchConfig(client), null, 2)}\n`, { mode: 0o600 });
}
