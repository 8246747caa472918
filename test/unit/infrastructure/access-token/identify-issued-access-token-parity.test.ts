import { SignJWT, jwtVerify } from 'jose';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SigningKey } from '../../../../src/server/application/ports';
import { SERVER_SIGNING_ALGS, serverKeyResolver } from '../../../../src/server/application/server-keys';
import {
  identifyIssuedAccessTokenSync,
  identifyIssuedIdTokenSync,
} from '../../../../src/server/infrastructure/access-token';
import { openKeyStore, rs256Kid } from '../../../../src/server/infrastructure/keys/sqlite-key-store';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';
import { accessTokenClaims, signEs256Raw } from '../../../support/access-token-fixtures';

const T0 = 1_800_000_000_000;
const NOW = T0 / 1000;
const ISS = 'https://as.example';
const GRACE_SECONDS = 3600;

let now = T0;
const store = await openKeyStore({
  db: openDatabase({ dataDir: null }),
  clock: { now: () => now },
  graceSeconds: GRACE_SECONDS,
});
const es = store.signingKey('ES256');
const ps = store.signingKey('PS256');
const rs = store.signingKey('RS256');

const good = accessTokenClaims(NOW, ISS, 'https://rs.example');

/** Signs as the provider does (jose's SignJWT, header alg/kid/typ at+jwt), with any claims. */
const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, key: SigningKey = es) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);

/** Signs any header and any payload bytes with the ES256 key, even what jose refuses to produce. */
const rawSign = (header: Record<string, unknown>, payload: string | Buffer, key: SigningKey = es) =>
  signEs256Raw(header, payload, key.privateKey);
const esHeader = { alg: 'ES256', kid: es.kid, typ: 'at+jwt' };

/** What the jose jwtVerify call identify-token made said: the claims, or refused (it caught everything). */
async function joseOutcome(token: string): Promise<unknown> {
  try {
    const { payload } = await jwtVerify(token, serverKeyResolver(store), {
      issuer: ISS,
      typ: 'at+jwt',
      algorithms: SERVER_SIGNING_ALGS,
      currentDate: new Date(0),
    });
    return payload;
  } catch {
    return 'refused';
  }
}

function ourOutcome(token: string): unknown {
  const payload = identifyIssuedAccessTokenSync(token, {
    keys: serverKeyResolver(store),
    issuer: ISS,
    algorithms: SERVER_SIGNING_ALGS,
  });
  return payload ?? 'refused';
}

async function expectParity(tokens: readonly (readonly [string, string, 'identified' | 'refused'])[]) {
  for (const [name, token, expected] of tokens) {
    const jose = await joseOutcome(token);
    // The cases say what jose does, so that a case that stopped testing anything shows.
    expect([name, jose === 'refused' ? 'refused' : 'identified']).toEqual([name, expected]);
    expect([name, ourOutcome(token)]).toEqual([name, jose]);
  }
}

describe('identifyIssuedAccessTokenSync (node:crypto) identifies what jose jwtVerify (currentDate 0) did', () => {
  it('on valid, expired, mistyped, misissued, malformed and wrongly signed tokens', async () => {
    const { exp: _exp, iat: _iat, jti: _jti, sub: _sub, client_id: _cid, ...bare } = good;
    const { iss: _iss, ...noIss } = good;
    const [h, p, s] = (await sign(good)).split('.') as [string, string, string];
    const otherEs = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const foreignSig = nodeSign('sha256', Buffer.from(`${h}.${p}`), {
      key: otherEs,
      dsaEncoding: 'ieee-p1363',
    });
    const flip = (sig: string) => `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    await expectParity([
      ['valid ES256', await sign(good), 'identified'],
      ['valid PS256', await sign(good, {}, ps), 'identified'],
      ['valid RS256 (kid of the RS256 publication)', await sign(good, {}, rs), 'identified'],
      ['only iss (no other claim is required)', await sign(bare), 'identified'],
      ['expired long ago (still identified)', await sign({ ...good, iat: 1, exp: 2 }), 'identified'],
      ['exp 0', await sign({ ...good, exp: 0 }), 'refused'],
      ['exp negative', await sign({ ...good, exp: -1 }), 'refused'],
      ['exp string', await sign({ ...good, exp: String(NOW + 60) }), 'refused'],
      ['exp null', await sign({ ...good, exp: null }), 'refused'],
      ['iat string', await sign({ ...good, iat: 'x' }), 'refused'],
      ['iat in the future', await sign({ ...good, iat: NOW + 1000 }), 'identified'],
      ['nbf now (after date 0)', await sign({ ...good, nbf: NOW }), 'refused'],
      ['nbf 1', await sign({ ...good, nbf: 1 }), 'refused'],
      ['nbf 0', await sign({ ...good, nbf: 0 }), 'identified'],
      ['nbf negative', await sign({ ...good, nbf: -5 }), 'identified'],
      ['nbf string', await sign({ ...good, nbf: '0' }), 'refused'],
      ['typ application/AT+JWT', await sign(good, { typ: 'application/AT+JWT' }), 'identified'],
      ['typ AT+JWT', await sign(good, { typ: 'AT+JWT' }), 'identified'],
      ['typ JWT', await sign(good, { typ: 'JWT' }), 'refused'],
      ['typ text/at+jwt', await sign(good, { typ: 'text/at+jwt' }), 'refused'],
      ['no typ', await sign(good, { typ: undefined }), 'refused'],
      ['typ number', rawSign({ ...esHeader, typ: 1 }, JSON.stringify(good)), 'refused'],
      ['wrong iss', await sign({ ...good, iss: 'https://other.example' }), 'refused'],
      ['iss with a trailing slash', await sign({ ...good, iss: `${ISS}/` }), 'refused'],
      ['iss array', await sign({ ...good, iss: [ISS] }), 'refused'],
      ['no iss', await sign(noIss), 'refused'],
      ['unknown kid', await sign(good, { kid: 'nope' }), 'refused'],
      ['no kid', await sign(good, { kid: undefined }), 'refused'],
      ['empty kid', await sign(good, { kid: '' }), 'refused'],
      ['kid number', rawSign({ ...esHeader, kid: 1 }, JSON.stringify(good)), 'refused'],
      ['ES256 under the kid of the PS256 key', await sign(good, { kid: ps.kid }), 'refused'],
      [
        'PS256 under the RS256 kid of the same RSA key',
        await sign(good, { kid: rs256Kid(ps.kid) }, ps),
        'refused',
      ],
      ['RS256 under the PS256 kid of the same RSA key', await sign(good, { kid: ps.kid }, rs), 'refused'],
      ['alg none', `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${p}.`, 'refused'],
      [
        'alg HS256',
        `${Buffer.from(JSON.stringify({ alg: 'HS256', kid: es.kid, typ: 'at+jwt' })).toString('base64url')}.${p}.${s}`,
        'refused',
      ],
      [
        'alg EdDSA (not a server alg)',
        rawSign({ ...esHeader, alg: 'EdDSA' }, JSON.stringify(good)),
        'refused',
      ],
      [
        'alg ES256 header claims PS256',
        rawSign({ ...esHeader, alg: 'PS256' }, JSON.stringify(good)),
        'refused',
      ],
      ['tampered signature', `${h}.${p}.${flip(s)}`, 'refused'],
      ['signature by a foreign key', `${h}.${p}.${foreignSig.toString('base64url')}`, 'refused'],
      ['no signature', `${h}.${p}.`, 'refused'],
      [
        'tampered payload',
        `${h}.${Buffer.from(JSON.stringify({ ...good, sub: 'v' })).toString('base64url')}.${s}`,
        'refused',
      ],
      ['payload array', rawSign(esHeader, '[1]'), 'refused'],
      ['payload string', rawSign(esHeader, '"x"'), 'refused'],
      ['payload null', rawSign(esHeader, 'null'), 'refused'],
      ['payload number', rawSign(esHeader, '1'), 'refused'],
      ['payload not JSON', rawSign(esHeader, '{"iss":'), 'refused'],
      ['payload not UTF-8', rawSign(esHeader, Buffer.from([0x7b, 0xff, 0x7d])), 'refused'],
      [
        'payload with a __proto__ member',
        rawSign(esHeader, `{"__proto__":{"x":1},"iss":"${ISS}"}`),
        'identified',
      ],
      ['crit unknown', rawSign({ ...esHeader, crit: ['x'], x: 1 }, JSON.stringify(good)), 'refused'],
      ['crit empty', rawSign({ ...esHeader, crit: [] }, JSON.stringify(good)), 'refused'],
      [
        'crit b64 false',
        rawSign({ ...esHeader, crit: ['b64'], b64: false }, JSON.stringify(good)),
        'refused',
      ],
      [
        'crit b64 true',
        rawSign({ ...esHeader, crit: ['b64'], b64: true }, JSON.stringify(good)),
        'identified',
      ],
      ['b64 false without crit', rawSign({ ...esHeader, b64: false }, JSON.stringify(good)), 'identified'],
      ['header padded', rawSign(esHeader, JSON.stringify(good)).replace('.', '=.'), 'refused'],
      ['header an array', `${Buffer.from('[]').toString('base64url')}.${p}.${s}`, 'refused'],
      ['garbage', 'a.b.c', 'refused'],
      ['two parts', `${h}.${p}`, 'refused'],
      ['four parts', `${h}.${p}.${s}.`, 'refused'],
      ['empty', '', 'refused'],
    ]);
  });

  it('on a retired key while it is still published, and not after its grace period', async () => {
    const retiredEs = store.signingKey('ES256');
    const retiredPs = store.signingKey('PS256');
    const byRetired = [await sign(good, {}, retiredEs), await sign(good, {}, retiredPs)];
    now += 1000;
    await store.rotate();
    expect(store.signingKey('ES256').kid).not.toBe(retiredEs.kid);
    await expectParity([
      ['retired ES256, in the grace period', byRetired[0] as string, 'identified'],
      ['retired PS256, in the grace period', byRetired[1] as string, 'identified'],
      ['the new current key', await sign(good, {}, store.signingKey('ES256')), 'identified'],
    ]);
    now += GRACE_SECONDS * 1000;
    await expectParity([
      ['retired ES256, after the grace period', byRetired[0] as string, 'refused'],
      ['retired PS256, after the grace period', byRetired[1] as string, 'refused'],
    ]);
  });

  it('refuses an asynchronous key resolver as a fault of the caller, not as a token it refuses', async () => {
    const token = await sign(good);
    expect(() =>
      identifyIssuedAccessTokenSync(token, {
        keys: async (header, input) => serverKeyResolver(store)(header, input),
        issuer: ISS,
        algorithms: SERVER_SIGNING_ALGS,
      }),
    ).toThrow(TypeError);
  });
});

/** A key store of its own: the tests above rotate the shared one. */
const hintStore = await openKeyStore({
  db: openDatabase({ dataDir: null }),
  clock: { now: () => T0 },
  graceSeconds: GRACE_SECONDS,
});
const hintKeys = serverKeyResolver(hintStore);
const signHint = (claims: Record<string, unknown>, typ?: string, alg: 'ES256' | 'PS256' = 'ES256') => {
  const key = hintStore.signingKey(alg);
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, typ }).sign(key.privateKey);
};

/** What end_session's jose call said of an id_token_hint (any typ but exactly at+jwt): claims or refused. */
async function joseIdTokenOutcome(token: string): Promise<unknown> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, hintKeys, {
      issuer: ISS,
      algorithms: SERVER_SIGNING_ALGS,
      currentDate: new Date(0),
    });
    return protectedHeader.typ === 'at+jwt' ? 'refused' : payload;
  } catch {
    return 'refused';
  }
}

describe('identifyIssuedIdTokenSync identifies the id_token_hint that end_session took with jose', () => {
  const idToken = { iss: ISS, sub: 'u', aud: 'c', iat: NOW, exp: NOW + 300, nonce: 'n' };
  const identify = (token: string) =>
    identifyIssuedIdTokenSync(token, { keys: hintKeys, issuer: ISS, algorithms: SERVER_SIGNING_ALGS }) ??
    'refused';

  it('an ID token, expired or not, of any typ; not an access token, nor one of another issuer or key', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const kid = hintStore.signingKey('ES256').kid;
    const cases: [string, string, 'identified' | 'refused'][] = [
      ['typ JWT', await signHint(idToken, 'JWT'), 'identified'],
      ['no typ', await signHint(idToken), 'identified'],
      ['PS256', await signHint(idToken, 'JWT', 'PS256'), 'identified'],
      ['expired', await signHint({ ...idToken, exp: NOW - 3600 }, 'JWT'), 'identified'],
      [
        'an access token',
        await signHint(accessTokenClaims(NOW, ISS, 'https://rs.example'), 'at+jwt'),
        'refused',
      ],
      ['another issuer', await signHint({ ...idToken, iss: 'https://other.example' }, 'JWT'), 'refused'],
      ['another key', signEs256Raw({ alg: 'ES256', kid }, JSON.stringify(idToken), otherKey), 'refused'],
      ['malformed', 'a.b.c', 'refused'],
    ];
    for (const [name, token, expected] of cases) {
      const jose = await joseIdTokenOutcome(token);
      expect([name, jose === 'refused' ? 'refused' : 'identified']).toEqual([name, expected]);
      expect([name, identify(token)]).toEqual([name, jose]);
    }
  });

  it('refuses an access token whose typ is written as a media type, which jose was not asked to', async () => {
    // RFC 9068 §2.1, RFC 8725 §3.11: "application/at+jwt" is at+jwt too.
    const token = await signHint(accessTokenClaims(NOW, ISS, 'https://rs.example'), 'application/AT+JWT');
    expect(await joseIdTokenOutcome(token)).not.toBe('refused');
    expect(identify(token)).toBe('refused');
  });
});
