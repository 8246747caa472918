import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import type { ScenarioResult } from '../../../src/scenarios/types';
import { demoConfigObject, labConfig } from '../../support/lab-server';
import { runOnScenarioLab } from '../../support/scenario-lab';

interface ConfigObject {
  server: Record<string, unknown>;
  clients: Record<string, unknown>[];
}

/** The whole built-in library against the demo configuration, changed by `change`. */
async function runLibraryIn(change: (config: ConfigObject) => void): Promise<ScenarioResult[]> {
  const config = demoConfigObject() as unknown as ConfigObject;
  change(config);
  return runOnScenarioLab(
    builtInScenarios,
    [
      { username: 'alice', password: 'wonderland' },
      { username: 'bob', password: 'builder' },
    ],
    labConfig(config),
  );
}

/** The same with `server` settings changed. */
const runLibraryWith = (server: Record<string, unknown>) =>
  runLibraryIn((config) => Object.assign(config.server, server));

/** The FAPI clients sign their assertions with `alg`, among keys the lab generates for `keys`. */
const fapiClientsSigningWith = (alg: string, keys: string[]) => (config: ConfigObject) => {
  for (const client of config.clients) {
    if (client.profile !== 'fapi2') continue;
    client.token_endpoint_auth_signing_alg = alg;
    client.lab = { generate_keys: keys };
  }
};

const notPassed = (results: ScenarioResult[]) =>
  results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id}: ${r.outcome} ${r.reason ?? ''}`);

describe('the built-in scenario library against providers and clients set up otherwise', () => {
  /**
   * RFC 9449 §8 (`dpop_nonce_required`): the library answers `use_dpop_nonce` as a client does, one
   * more request with the nonce in its proofs and a new client assertion, so every scenario still
   * tests what it is about. Without that, 34 of the 84 ended on the nonce demand ("expected 400
   * invalid_dpop_proof, got 400 use_dpop_nonce", or a setup step refused).
   */
  it('a provider that requires DPoP nonces: every scenario passes', async () => {
    const results = await runLibraryWith({ dpop_nonce_required: true });
    expect(notPassed(results)).toEqual([]);
    expect(results).toHaveLength(builtInScenarios.length);
  }, 120_000);

  /**
   * RFC 9126 §5 (`require_pushed_authorization_requests` for every client): the standard client
   * pushes its requests, as the metadata tells it to; before, the three scenarios built on its flow
   * failed on "this client must use a pushed authorization request". The two that test PKCE rules in
   * the front channel are skipped, saying why: a refusal for going around PAR would pass for one of
   * their PKCE parameters.
   */
  it('a provider that requires PAR of every client: the front-channel PKCE scenarios skipped, the rest pass', async () => {
    const results = await runLibraryWith({ require_pushed_authorization_requests: true });
    expect(notPassed(results)).toEqual([
      expect.stringMatching(/^pkce-missing-challenge-front-channel: skip the standard client must use PAR/),
      expect.stringMatching(/^pkce-plain-method-front-channel: skip the standard client must use PAR/),
    ]);
    expect(results).toHaveLength(builtInScenarios.length);
  }, 120_000);

  /**
   * The longest windows the lab allows: a proof made five minutes before passed for fresh with
   * dpop_proof_max_age at 600 s, and the two stale-iat scenarios failed; their proofs are an hour old.
   */
  it('a provider with the longest lifetimes the lab allows: every scenario passes', async () => {
    const results = await runLibraryWith({
      authorization_code_lifetime: 600,
      pushed_authorization_request_lifetime: 599,
      access_token_lifetime: 86_400,
      dpop_proof_max_age: 600,
    });
    expect(notPassed(results)).toEqual([]);
  }, 120_000);

  /**
   * FAPI clients registered to sign their assertions with PS256 (OIDC Dynamic Client Registration §2,
   * token_endpoint_auth_signing_alg) among keys the lab generated for ES256 and PS256: the lab lists
   * the key of that algorithm first, the one clients sign with. 62 scenarios failed on "client_assertion
   * must be signed with PS256" when the ES256 key came first.
   */
  it('FAPI clients that sign their assertions with PS256: every scenario passes', async () => {
    const results = await runLibraryIn(fapiClientsSigningWith('PS256', ['ES256', 'PS256']));
    expect(notPassed(results)).toEqual([]);
  }, 120_000);

  it('FAPI clients with an EdDSA key only: the RS256 scenario skipped for want of an RSA key, the rest pass', async () => {
    const results = await runLibraryIn(fapiClientsSigningWith('EdDSA', ['EdDSA']));
    expect(notPassed(results)).toEqual([
      'client-assertion-rs256: skip the FAPI client has no RSA key to sign with RS256',
    ]);
  }, 120_000);

  /**
   * A standard client registered for PAR (RFC 9126 §6) and DPoP-bound tokens (RFC 9449 §5.2): its
   * flows push their requests and bind the code and tokens to a DPoP key, as a client library does
   * for such a registration. Before, 3 scenarios failed on the PAR demand and the standard flow's on
   * "a DPoP proof is required for this client".
   */
  it('a standard client registered for PAR and DPoP: the front-channel PKCE scenarios skipped, the rest pass', async () => {
    const results = await runLibraryIn((config) => {
      const standard = config.clients.find((c) => c.client_id === 'demo-standard');
      Object.assign(standard ?? {}, {
        require_pushed_authorization_requests: true,
        dpop_bound_access_tokens: true,
        token_endpoint_auth_method: 'client_secret_basic',
      });
    });
    expect(notPassed(results)).toEqual([
      expect.stringMatching(/^pkce-missing-challenge-front-channel: skip the standard client must use PAR/),
      expect.stringMatching(/^pkce-plain-method-front-channel: skip the standard client must use PAR/),
    ]);
  }, 120_000);
});
