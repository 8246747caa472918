import { base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAssertionType, type DpopKeyPair } from '../../../src/client';
import { MustsLab, parseChallenge, send, type LabResponse } from '../../support/musts-helpers';
import { seeded } from '../../support/seeded-random';

/** Values of every JSON type, and strings and numbers at the edges. */
const WRONG_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER,
  '',
  ' ',
  '\u0000',
  '\ud800',
  'é',
  'a'.repeat(5000),
  [],
  ['a', 'b'],
  {},
  { kty: 'EC' },
  { kty: 'EC', crv: 'P-256', x: 1, y: [] },
  { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
  { kty: 'oct', k: 'AAAA' },
  { jkt: 5 },
];

/** Members a JWS header or claims set may gain: the ones the server reads, and ones it must not trust. */
const ADDED_MEMBERS = [
  'cnf',
  'nonce',
  'ath',
  'jwk',
  'kid',
  'crit',
  'b64',
  'x5c',
  'jku',
  'nbf',
  'exp',
  'iat',
  'aud',
];

/**
 * DESIGN.md, "Never a stack trace or a 5xx for bad input": client assertions (RFC 7523 §3) and DPoP
 * proofs (RFC 9449 §4.3), correctly signed, each with one member of its header or claims replaced by a
 * value of another type, removed, or added. Every one is answered with an OAuth error (or accepted,
 * when the change is one the rules allow); the provider keeps serving; what the lab recorded exports.
 */
describe('MUST: signed JWTs with one member of the wrong type, missing or added get an OAuth error', () => {
  let lab: MustsLab;
  let dpopKey: DpopKeyPair;
  const random = seeded(20261129);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

  beforeAll(async () => {
    lab = await MustsLab.start({ capture: true });
    dpopKey = await lab.dpopKey();
  });
  afterAll(() => lab?.close());

  /** One change to a copy of `members`. */
  const mutated = (members: Record<string, unknown>): Record<string, unknown> => {
    const copy = { ...members };
    const choice = random();
    if (choice < 0.6) copy[pick(Object.keys(copy))] = pick(WRONG_VALUES);
    else if (choice < 0.8) delete copy[pick(Object.keys(copy))];
    else copy[pick(ADDED_MEMBERS)] = pick(WRONG_VALUES);
    return copy;
  };

  /** An ES256 JWS over exactly these members (a JOSE library would refuse to make some of them). */
  const signEs256 = async (header: unknown, claims: unknown, key: CryptoKey): Promise<string> => {
    const input = [header, claims].map((part) => base64url.encode(JSON.stringify(part))).join('.');
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      new TextEncoder().encode(input),
    );
    return `${input}.${base64url.encode(new Uint8Array(signature))}`;
  };

  let serial = 0;
  /** A client assertion of the fapi2 client, with one change when `change` is true. */
  const assertion = (change: boolean): Promise<string> => {
    const now = lab.clock.seconds();
    const header = { alg: 'ES256', kid: lab.fapi.kid };
    const claims = {
      iss: lab.fapi.clientId,
      sub: lab.fapi.clientId,
      aud: lab.issuer,
      iat: now,
      exp: now + 60,
      jti: `assertion-${(serial += 1)}`,
    };
    const inHeader = change && random() < 0.3;
    return signEs256(
      inHeader ? mutated(header) : header,
      change && !inHeader ? mutated(claims) : claims,
      lab.fapi.privateKey,
    );
  };

  /** A DPoP proof for `method url` (with `extra` claims), with one change when `change` is true. */
  const proof = (method: string, url: string, change: boolean, extra: Record<string, unknown> = {}) => {
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: dpopKey.publicJwk };
    const claims = {
      htm: method,
      htu: url,
      iat: lab.clock.seconds(),
      jti: `proof-${(serial += 1)}`,
      ...extra,
    };
    const inHeader = change && random() < 0.4;
    return signEs256(
      inHeader ? mutated(header) : header,
      change && !inHeader ? mutated(claims) : claims,
      dpopKey.privateKey,
    );
  };

  const tokenRequest = async (changeAssertion: boolean, changeProof: boolean): Promise<LabResponse> =>
    lab.post(
      '/token',
      {
        grant_type: 'client_credentials',
        scope: 'accounts',
        client_assertion_type: clientAssertionType,
        client_assertion: await assertion(changeAssertion),
      },
      { DPoP: await proof('POST', lab.url('/token'), changeProof) },
    );

  it('at the token endpoint: 200, or 400 / 401 with invalid_client, invalid_dpop_proof or invalid_request', async () => {
    const errors = new Set<string>();
    for (let i = 0; i < 120; i++) {
      const response = await tokenRequest(i % 2 === 0, i % 2 === 1);
      if (response.status === 200) continue;
      const error = String(response.json?.error);
      errors.add(error);
      expect([400, 401], response.text).toContain(response.status);
      expect(['invalid_client', 'invalid_dpop_proof', 'invalid_request'], response.text).toContain(error);
      // RFC 6749 §5.2: invalid_client is 401 (the client authenticated with an assertion, no Basic).
      expect(response.status, response.text).toBe(error === 'invalid_client' ? 401 : 400);
    }
    // The mutations reached both validators.
    expect([...errors].sort()).toEqual(expect.arrayContaining(['invalid_client', 'invalid_dpop_proof']));
  });

  it('at the resource API: 200, or 401 with a DPoP challenge of invalid_dpop_proof or invalid_token', async () => {
    const issued = await tokenRequest(false, false);
    expect(issued.status, issued.text).toBe(200);
    const accessToken = String(issued.json?.access_token);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
    const ath = base64url.encode(new Uint8Array(digest));
    const url = lab.url('/api/accounts');
    const errors = new Set<string>();
    for (let i = 0; i < 120; i++) {
      const response = await send(url, {
        headers: { Authorization: `DPoP ${accessToken}`, DPoP: await proof('GET', url, true, { ath }) },
      });
      if (response.status === 200) continue;
      expect(response.status, response.text).toBe(401);
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      expect(challenge.scheme).toBe('DPoP');
      errors.add(String(challenge.params.error));
    }
    expect([...errors]).toContain('invalid_dpop_proof');
    expect([...errors].every((error) => ['invalid_dpop_proof', 'invalid_token'].includes(error))).toBe(true);
  });

  it('keeps serving, and every exchange recorded exports as JSON, HAR and Markdown', async () => {
    expect((await tokenRequest(false, false)).status).toBe(200);
    const recorded = (await lab.recordings()).find((recording) => recording.eventCount >= 240);
    expect(recorded).toBeDefined();
    await lab.expectExports(recorded?.id ?? '');
  });
});
