import { createHash, createPublicKey, verify } from 'node:crypto';
import { generateEs256Key, jwkThumbprint, signEs256 } from './compact-jws';
import { median } from './stats';

/**
 * The crypto limit: how many token requests one core could answer per second if it did nothing but
 * the public-key work each one needs, with node:crypto (the same OpenSSL the server's jose uses).
 * For a client_credentials request with private_key_jwt and DPoP: verify the client assertion (the
 * client's key is imported once and cached, as the server does), import the DPoP proof's embedded
 * JWK and verify the proof with it, hash (the JWK thumbprint for cnf.jkt), and sign the access
 * token. The authorization-code exchange adds an ID token signature and the code's hash.
 */

export interface OperationCosts {
  /** Microseconds per operation, medians of the rounds. */
  readonly verifyAssertionUs: number;
  readonly verifyProofWithEmbeddedJwkUs: number;
  readonly signTokenUs: number;
  readonly hashUs: number;
}

export interface CryptoLimit {
  readonly costs: OperationCosts;
  /** Token requests per second one core could do: client_credentials + private_key_jwt + DPoP. */
  readonly clientCredentialsPerSecond: number;
  /** The same plus the ID token signature and the code hash. */
  readonly authorizationCodePerSecond: number;
}

/** Runs `op` repeatedly for about `ms` and returns microseconds per call. */
function timePerCall(op: () => unknown, ms: number): number {
  for (let i = 0; i < 50; i++) op(); // warm up
  let calls = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 20; i++) op();
    calls += 20;
    now = performance.now();
  }
  return ((now - start) * 1000) / calls;
}

export function measureCryptoLimit(rounds = 3, msPerOperation = 100): CryptoLimit {
  const client = generateEs256Key();
  const dpop = generateEs256Key();
  const server = generateEs256Key();
  const assertion = signEs256(
    { alg: 'ES256' },
    { iss: 'c', sub: 'c', aud: 'https://as', jti: 'x' },
    client.privateKey,
  );
  const proof = signEs256(
    { typ: 'dpop+jwt', alg: 'ES256', jwk: dpop.publicJwk },
    { htm: 'POST' },
    dpop.privateKey,
  );
  const cachedClientKey = createPublicKey({ key: client.publicJwk, format: 'jwk' });
  const tokenPayload = {
    iss: 'http://127.0.0.1:1234',
    sub: 'bench-fapi',
    aud: 'http://127.0.0.1:1234/api',
    client_id: 'bench-fapi',
    scope: 'accounts',
    cnf: { jkt: jwkThumbprint(dpop.publicJwk) },
    iat: 1,
    exp: 2,
    jti: '00000000-0000-0000-0000-000000000000',
  };

  const verifyJws = (jws: string, key: Parameters<typeof verify>[2]) => {
    const dot = jws.lastIndexOf('.');
    const ok = verify(
      'sha256',
      Buffer.from(jws.slice(0, dot)),
      { key: key as never, dsaEncoding: 'ieee-p1363' },
      Buffer.from(jws.slice(dot + 1), 'base64url'),
    );
    if (!ok) throw new Error('crypto limit: a signature did not verify');
  };

  const samples: OperationCosts[] = [];
  for (let r = 0; r < rounds; r++) {
    samples.push({
      verifyAssertionUs: timePerCall(() => verifyJws(assertion, cachedClientKey), msPerOperation),
      verifyProofWithEmbeddedJwkUs: timePerCall(
        () => verifyJws(proof, createPublicKey({ key: dpop.publicJwk, format: 'jwk' })),
        msPerOperation,
      ),
      signTokenUs: timePerCall(
        () => signEs256({ alg: 'ES256', kid: 'k', typ: 'at+jwt' }, tokenPayload, server.privateKey),
        msPerOperation,
      ),
      hashUs: timePerCall(
        () => createHash('sha256').update(JSON.stringify(dpop.publicJwk)).digest(),
        msPerOperation,
      ),
    });
  }
  const costs: OperationCosts = {
    verifyAssertionUs: median(samples.map((s) => s.verifyAssertionUs)),
    verifyProofWithEmbeddedJwkUs: median(samples.map((s) => s.verifyProofWithEmbeddedJwkUs)),
    signTokenUs: median(samples.map((s) => s.signTokenUs)),
    hashUs: median(samples.map((s) => s.hashUs)),
  };
  return { costs, ...limitsOf(costs) };
}

/** Requests per second from per-operation costs (pure; tested). */
export function limitsOf(costs: OperationCosts): Omit<CryptoLimit, 'costs'> {
  const clientCredentialsUs =
    costs.verifyAssertionUs + costs.verifyProofWithEmbeddedJwkUs + costs.signTokenUs + costs.hashUs;
  const authorizationCodeUs = clientCredentialsUs + costs.signTokenUs + costs.hashUs;
  return {
    clientCredentialsPerSecond: 1e6 / clientCredentialsUs,
    authorizationCodePerSecond: 1e6 / authorizationCodeUs,
  };
}
