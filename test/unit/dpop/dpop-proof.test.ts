import { constants, createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withCheckObserver } from '../../../src/server/domain/check';
import { OAuthError } from '../../../src/server/domain/oauth-error';
import {
  createDpopNonceSource,
  verifyDpopProof,
  type DpopProofInput,
} from '../../../src/server/infrastructure/dpop';
import { FakeClock, InMemoryReplayCache, checkRecorder } from './test-doubles';
import { JournaledReplayCache } from '../../../src/server/infrastructure/replay-cache/journaled-replay-cache';

const NOW = 1_800_000_000;
const URL_TOKEN = 'https://as.example.com/token';
const ALGS = ['PS256', 'ES256', 'EdDSA'] as const;

let es256: { privateKey: CryptoKey; jwk: JWK; jkt: string };
let privateJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  es256 = { privateKey: pair.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
  privateJwk = await exportJWK(pair.privateKey);
});

let clock: FakeClock;
let replayCache: InMemoryReplayCache;

beforeEach(() => {
  clock = new FakeClock(NOW * 1000);
  replayCache = new InMemoryReplayCache(clock);
});

async function proof(
  options: {
    claims?: Record<string, unknown>;
    omit?: string[];
    header?: Record<string, unknown>;
    key?: CryptoKey | Uint8Array;
    alg?: string;
  } = {},
): Promise<string> {
  const claims: Record<string, unknown> = {
    jti: randomUUID(),
    htm: 'POST',
    htu: URL_TOKEN,
    iat: NOW,
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  const alg = options.alg ?? 'ES256';
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: es256.jwk, ...options.header })
    .sign(options.key ?? es256.privateKey);
}

function input(
  dpopHeader: DpopProofInput['dpopHeader'],
  overrides: Partial<DpopProofInput> = {},
): DpopProofInput {
  return {
    dpopHeader,
    method: 'POST',
    url: URL_TOKEN,
    allowedAlgs: ALGS,
    clock,
    replayCache,
    clientId: 'client-a',
    maxAgeSeconds: 60,
    allowedFutureSeconds: 10,
    context: 'token',
    ...overrides,
  };
}

/** The OAuthError `run` throws, or the one its promise rejects with. */
async function rejection(run: () => unknown): Promise<OAuthError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }
  throw new Error('expected a rejection');
}

/** Expects `400 invalid_dpop_proof` at the token endpoint, with `checkId` recorded as the failed check. */
async function expectInvalid(dpop: DpopProofInput, checkId: string, pattern?: RegExp): Promise<OAuthError> {
  const recorder = checkRecorder();
  const error = await rejection(() => withCheckObserver(recorder, () => verifyDpopProof(dpop)));
  expect(error.error).toBe('invalid_dpop_proof');
  expect(error.status).toBe(dpop.context === 'token' ? 400 : 401);
  const failed = recorder.results.filter((r) => r.outcome === 'failed');
  expect(failed.map((r) => r.id)).toEqual([checkId]);
  if (pattern) expect(error.error_description).toMatch(pattern);
  return error;
}

describe('verifyDpopProof: accepted proofs', () => {
  it('returns the key, its RFC 7638 thumbprint and the claims, recording every check', async () => {
    const recorder = checkRecorder();
    const signed = await proof();
    const result = withCheckObserver(recorder, () => verifyDpopProof(input(signed)));
    expect(result?.jkt).toBe(es256.jkt);
    expect(result?.jwk).toEqual(es256.jwk);
    expect(result?.payload.htm).toBe('POST');
    expect(result?.header.typ).toBe('dpop+jwt');
    expect(recorder.results.every((r) => r.outcome !== 'failed')).toBe(true);
    expect(recorder.results.map((r) => r.id)).toEqual([
      'dpop.single_header',
      'dpop.well_formed',
      'dpop.required_claims',
      'dpop.typ',
      'dpop.alg',
      'dpop.jwk_public',
      'dpop.signature',
      'dpop.htm',
      'dpop.htu',
      'dpop.nonce',
      'dpop.iat',
      'dpop.nbf',
      'dpop.ath',
      'dpop.jkt',
      'dpop.jti_unique',
    ]);
  });

  it('returns undefined when the request has no DPoP header', async () => {
    expect(await verifyDpopProof(input(undefined))).toBeUndefined();
  });

  it('accepts a single header given as a one-element array', async () => {
    expect(await verifyDpopProof(input([await proof()]))).toBeDefined();
  });

  it('accepts an htu that carries a query and a fragment', async () => {
    const p = await proof({ claims: { htu: `${URL_TOKEN}?a=1#x` } });
    expect(await verifyDpopProof(input(p))).toBeDefined();
  });

  it('ignores the query of the request URI', async () => {
    expect(await verifyDpopProof(input(await proof(), { url: `${URL_TOKEN}?x=y` }))).toBeDefined();
  });

  it('normalises scheme and host case, the default port and percent-encoding', async () => {
    const p = await proof({ claims: { htu: 'HTTPS://AS.Example.COM:443/%7etoken/%2f' } });
    const ok = await verifyDpopProof(input(p, { url: 'https://as.example.com/~token/%2F' }));
    expect(ok).toBeDefined();
  });

  it('accepts extra claims such as nbf and exp, even exp in the past', async () => {
    const p = await proof({ claims: { nbf: NOW - 5, exp: NOW - 1, extra: 'x' } });
    expect(await verifyDpopProof(input(p))).toBeDefined();
  });

  it('accepts iat 10 s early and 10 s late', async () => {
    expect(await verifyDpopProof(input(await proof({ claims: { iat: NOW - 10 } })))).toBeDefined();
    expect(await verifyDpopProof(input(await proof({ claims: { iat: NOW + 10 } })))).toBeDefined();
  });

  it('accepts PS256 and EdDSA proofs', async () => {
    for (const alg of ['PS256', 'EdDSA'] as const) {
      const pair = await generateKeyPair(alg, { extractable: true });
      const jwk = await exportJWK(pair.publicKey);
      const p = await proof({ alg, key: pair.privateKey, header: { jwk } });
      const result = await verifyDpopProof(input(p));
      expect(result?.jkt).toBe(await calculateJwkThumbprint(jwk));
    }
  });

  it('accepts a proof whose ath matches the access token, at a resource', async () => {
    const token = 'an-access-token';
    const ath = createHash('sha256').update(token).digest('base64url');
    const p = await proof({ claims: { htm: 'GET', htu: 'https://rs.example.com/api', ath } });
    const result = await verifyDpopProof(
      input(p, {
        method: 'GET',
        url: 'https://rs.example.com/api',
        context: 'resource',
        accessToken: token,
        expectedJkt: es256.jkt,
      }),
    );
    expect(result?.jkt).toBe(es256.jkt);
  });
});

describe('verifyDpopProof: each rule of RFC 9449 §4.3 refuses', () => {
  it('(1) two DPoP headers', async () => {
    const p = await proof();
    await expectInvalid(input([p, p]), 'dpop.single_header');
  });

  it('(1) two DPoP headers joined by Node', async () => {
    const p = await proof();
    await expectInvalid(input(`${p}, ${p}`), 'dpop.single_header');
  });

  it('(2) a value that is not a JWT', async () => {
    await expectInvalid(input('not-a-jwt'), 'dpop.well_formed');
  });

  it('(2) a JWT whose payload is not JSON', async () => {
    const h = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt' })).toString('base64url');
    await expectInvalid(input(`${h}.${Buffer.from('nope').toString('base64url')}.sig`), 'dpop.well_formed');
  });

  for (const claim of ['jti', 'htm', 'htu', 'iat']) {
    it(`(3) a proof without ${claim}`, async () => {
      await expectInvalid(input(await proof({ omit: [claim] })), 'dpop.required_claims', new RegExp(claim));
    });
  }

  it('(4) a typ other than dpop+jwt', async () => {
    await expectInvalid(input(await proof({ header: { typ: 'JWT' } })), 'dpop.typ');
  });

  it('(5) alg none', async () => {
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${enc({ alg: 'none', typ: 'dpop+jwt', jwk: es256.jwk })}.${enc({
      jti: 'x',
      htm: 'POST',
      htu: URL_TOKEN,
      iat: NOW,
    })}.`;
    await expectInvalid(input(unsigned), 'dpop.alg');
  });

  it('(5) a symmetric alg (HS256)', async () => {
    const p = await proof({ alg: 'HS256', key: new Uint8Array(32).fill(7) });
    await expectInvalid(input(p), 'dpop.alg');
  });

  it('(5) an asymmetric alg the server does not accept (RS256)', async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    const p = await proof({ alg: 'RS256', key: pair.privateKey, header: { jwk } });
    await expectInvalid(input(p), 'dpop.alg');
  });

  it('(6) a signature by another key than the header jwk', async () => {
    const other = await generateKeyPair('ES256');
    await expectInvalid(input(await proof({ key: other.privateKey })), 'dpop.signature');
  });

  it('(6) a tampered payload', async () => {
    const [h, , s] = (await proof()).split('.');
    const forged = Buffer.from(JSON.stringify({ jti: 'j', htm: 'POST', htu: URL_TOKEN, iat: NOW })).toString(
      'base64url',
    );
    await expectInvalid(input(`${h}.${forged}.${s}`), 'dpop.signature');
  });

  it('(7) a header jwk that holds the private key', async () => {
    await expectInvalid(input(await proof({ header: { jwk: privateJwk } })), 'dpop.jwk_public', /private/);
  });

  it('(7) a proof without a header jwk', async () => {
    await expectInvalid(input(await proof({ header: { jwk: undefined } })), 'dpop.jwk_public');
  });

  it('(7) a symmetric (oct) header jwk', async () => {
    await expectInvalid(
      input(await proof({ header: { jwk: { kty: 'oct', k: 'c2VjcmV0' } } })),
      'dpop.jwk_public',
    );
  });

  it('(7) an RSA key under 2048 bits (FAPI 2.0 SP §5.4.1)', async () => {
    // jose refuses to sign with a short RSA key, so the proof is signed with node:crypto directly.
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = publicKey.export({ format: 'jwk' });
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input1 = `${enc({ alg: 'PS256', typ: 'dpop+jwt', jwk })}.${enc({ jti: 'j', htm: 'POST', htu: URL_TOKEN, iat: NOW })}`;
    const signature = sign('sha256', Buffer.from(input1), {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }).toString('base64url');
    await expectInvalid(input(`${input1}.${signature}`), 'dpop.jwk_public', /2048/);
  });

  it('(7) an RSA key too large to verify with cheaply: its exponent, or its modulus', async () => {
    // Refused before any signature work: such a key made one verification cost 7 ms.
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const ones = (bytes: number) => Buffer.alloc(bytes, 0xff).toString('base64url');
    const claims = enc({ jti: 'j', htm: 'POST', htu: URL_TOKEN, iat: NOW });
    const signature = Buffer.alloc(384, 1).toString('base64url');
    const hugeExponent = { kty: 'RSA', n: ones(384), e: ones(383) };
    const hugeModulus = { kty: 'RSA', n: ones(1025), e: 'AQAB' };
    for (const [jwk, why] of [
      [hugeExponent, /exponent of more than 256 bits/],
      [hugeModulus, /modulus of more than 8192 bits/],
    ] as const) {
      const jws = `${enc({ alg: 'PS256', typ: 'dpop+jwt', jwk })}.${claims}.${signature}`;
      await expectInvalid(input(jws), 'dpop.jwk_public', why);
    }
  });

  it('(8) htm other than the request method', async () => {
    await expectInvalid(input(await proof({ claims: { htm: 'GET' } })), 'dpop.htm');
  });

  it('(8) htm compared case-sensitively', async () => {
    await expectInvalid(input(await proof({ claims: { htm: 'post' } })), 'dpop.htm');
  });

  it('(9) htu naming another path', async () => {
    await expectInvalid(input(await proof({ claims: { htu: 'https://as.example.com/par' } })), 'dpop.htu');
  });

  it('(9) htu naming another host or scheme', async () => {
    await expectInvalid(
      input(await proof({ claims: { htu: 'https://evil.example.com/token' } })),
      'dpop.htu',
    );
    await expectInvalid(input(await proof({ claims: { htu: 'http://as.example.com/token' } })), 'dpop.htu');
  });

  it('(9) htu that is not an absolute URI', async () => {
    await expectInvalid(input(await proof({ claims: { htu: '/token' } })), 'dpop.htu');
  });

  it('(11) iat older than the maximum age', async () => {
    await expectInvalid(input(await proof({ claims: { iat: NOW - 61 } })), 'dpop.iat', /too old/);
  });

  it('(11) iat 11 s and 61 s in the future', async () => {
    await expectInvalid(input(await proof({ claims: { iat: NOW + 11 } })), 'dpop.iat', /future/);
    await expectInvalid(input(await proof({ claims: { iat: NOW + 61 } })), 'dpop.iat', /future/);
  });

  it('nbf more than 10 s in the future (RFC 7519 §4.1.5, FAPI 2.0 SP §5.3.2.1), or not a NumericDate', async () => {
    await expectInvalid(input(await proof({ claims: { nbf: NOW + 11 } })), 'dpop.nbf', /not valid yet/);
    await expectInvalid(input(await proof({ claims: { nbf: NOW + 61 } })), 'dpop.nbf', /not valid yet/);
    await expectInvalid(input(await proof({ claims: { nbf: String(NOW) } })), 'dpop.nbf', /NumericDate/);
  });

  it('accepts nbf up to 10 s in the future (FAPI 2.0 SP §5.3.2.1)', async () => {
    const recorder = checkRecorder();
    const p = await proof({ claims: { nbf: NOW + 10 } });
    expect(withCheckObserver(recorder, () => verifyDpopProof(input(p)))).toBeDefined();
    expect(recorder.results.find((r) => r.id === 'dpop.nbf')?.outcome).toBe('passed');
  });

  it('(12) at a resource, a proof without ath', async () => {
    const p = await proof({ claims: { htm: 'GET', htu: 'https://rs.example.com/api' } });
    const dpop = input(p, {
      method: 'GET',
      url: 'https://rs.example.com/api',
      context: 'resource',
      accessToken: 't',
    });
    await expectInvalid(dpop, 'dpop.ath', /lacks ath/);
  });

  it('(12) at a resource, an ath of another token', async () => {
    const ath = createHash('sha256').update('other-token').digest('base64url');
    const p = await proof({ claims: { htm: 'GET', htu: 'https://rs.example.com/api', ath } });
    const dpop = input(p, {
      method: 'GET',
      url: 'https://rs.example.com/api',
      context: 'resource',
      accessToken: 't',
    });
    await expectInvalid(dpop, 'dpop.ath');
  });

  it('(12) a proof key other than the bound cnf.jkt / dpop_jkt', async () => {
    await expectInvalid(input(await proof(), { expectedJkt: 'some-other-thumbprint' }), 'dpop.jkt');
  });

  it('§11.1 a replayed proof', async () => {
    const p = await proof();
    await verifyDpopProof(input(p));
    await expectInvalid(input(p), 'dpop.jti_unique', /already been used/);
  });

  it('§11.1 remembers the jti at least as long as the proof is acceptable', async () => {
    const p = await proof();
    await verifyDpopProof(input(p));
    clock.advance(60);
    await expectInvalid(input(p), 'dpop.jti_unique');
    clock.advance(1);
    // Past the window the proof is refused for its age, whatever the cache holds.
    await expectInvalid(input(p), 'dpop.iat');
  });

  it('does not use up the jti of a proof refused for another reason', async () => {
    const p = await proof();
    await expectInvalid(input(p, { method: 'GET' }), 'dpop.htm');
    expect(await verifyDpopProof(input(p))).toBeDefined();
  });

  it('refuses a client that holds a tenth of an almost full replay cache, and still accepts the others', async () => {
    // RFC 9449 §11.1 asks the server to remember every proof; one client sending fresh ones as fast as
    // it can must not make every other client's proofs refused with it.
    const shared = new JournaledReplayCache({ journalPath: null, clock, maxEntries: 10 });
    for (let i = 0; i < 9; i++) {
      expect(await verifyDpopProof(input(await proof(), { replayCache: shared }))).toBeDefined();
    }
    const error = await rejection(async () => verifyDpopProof(input(await proof(), { replayCache: shared })));
    expect(error.error).toBe('temporarily_unavailable');
    expect(error.status).toBe(503);
    const other = input(await proof(), { replayCache: shared, clientId: 'client-b' });
    expect(await verifyDpopProof(other)).toBeDefined();
  });

  it('fails closed with temporarily_unavailable when the replay cache is full', async () => {
    const full = new InMemoryReplayCache(clock, 0);
    const error = await rejection(async () => verifyDpopProof(input(await proof(), { replayCache: full })));
    expect(error.error).toBe('temporarily_unavailable');
    expect(error.status).toBe(503);
  });
});

describe('verifyDpopProof: errors at a resource (RFC 9449 §7.1)', () => {
  it('are 401 with a DPoP challenge naming the error and the algorithms', async () => {
    const p = await proof({ claims: { htm: 'GET', htu: 'https://rs.example.com/api' } });
    const error = await expectInvalid(
      input(p, { method: 'POST', url: 'https://rs.example.com/api', context: 'resource' }),
      'dpop.htm',
    );
    expect(error.headers['WWW-Authenticate']).toMatch(
      /^DPoP error="invalid_dpop_proof", error_description="[^"]+", algs="PS256 ES256 EdDSA"$/,
    );
  });
});

describe('verifyDpopProof: server nonces (RFC 9449 §8)', () => {
  it('asks for a nonce with 400 use_dpop_nonce and a DPoP-Nonce header, then accepts it', async () => {
    const nonces = createDpopNonceSource({ clock, lifetimeSeconds: 300 });
    const error = await rejection(async () => verifyDpopProof(input(await proof(), { nonces })));
    expect(error.error).toBe('use_dpop_nonce');
    expect(error.status).toBe(400);
    const nonce = error.headers['DPoP-Nonce'];
    expect(nonce).toBe(nonces.current());
    expect(await verifyDpopProof(input(await proof({ claims: { nonce } }), { nonces }))).toBeDefined();
  });

  it('refuses a stale nonce with a fresh one', async () => {
    const nonces = createDpopNonceSource({ clock, lifetimeSeconds: 300 });
    const old = nonces.current();
    clock.advance(600);
    const error = await rejection(async () =>
      verifyDpopProof(input(await proof({ claims: { nonce: old, iat: NOW + 600 } }), { nonces })),
    );
    expect(error.error).toBe('use_dpop_nonce');
    expect(error.headers['DPoP-Nonce']).not.toBe(old);
    expect(error.headers['DPoP-Nonce']).toBe(nonces.current());
  });

  it('at a resource, answers 401 use_dpop_nonce with a DPoP challenge and a DPoP-Nonce header', async () => {
    const nonces = createDpopNonceSource({ clock, lifetimeSeconds: 300 });
    const p = await proof({ claims: { htm: 'GET', htu: 'https://rs.example.com/api', nonce: 'made-up' } });
    const error = await rejection(async () =>
      verifyDpopProof(
        input(p, { method: 'GET', url: 'https://rs.example.com/api', context: 'resource', nonces }),
      ),
    );
    expect(error.error).toBe('use_dpop_nonce');
    expect(error.status).toBe(401);
    expect(error.headers['WWW-Authenticate']).toMatch(/^DPoP error="use_dpop_nonce"/);
    expect(error.headers['DPoP-Nonce']).toBe(nonces.current());
  });
});
