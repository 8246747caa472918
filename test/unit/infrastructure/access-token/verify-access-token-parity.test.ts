import { SignJWT, errors as joseErrors, generateKeyPair, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyAccessToken } from '../../../../src/server/infrastructure/access-token/verify-access-token';
import { accessTokenClaims, signEs256Raw } from '../../../support/access-token-fixtures';

const NOW = 1_800_000_000;
const ISS = 'https://as.example';
const AUD = 'https://rs.example';
const es = await generateKeyPair('ES256');
const ps = await generateKeyPair('PS256');
const keys: JWTVerifyGetKey = (header) => {
  if (header.kid === 'es') return es.publicKey;
  if (header.kid === 'ps') return ps.publicKey;
  throw new joseErrors.JWKSNoMatchingKey();
};
const good = accessTokenClaims(NOW, ISS, AUD);

const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, key = es.privateKey) =>
  new SignJWT(claims)
    .setProtectedHeader({
      alg: key === es.privateKey ? 'ES256' : 'PS256',
      kid: 'es',
      typ: 'at+jwt',
      ...header,
    })
    .sign(key);

/** Signs any header, even one jose refuses to produce. */
const rawSign = (header: Record<string, unknown>, claims: unknown) =>
  signEs256Raw(header, JSON.stringify(claims), es.privateKey);

/** What jose's jwtVerify with the options verifyAccessToken used to pass says about a token. */
async function joseOutcome(token: string, audience?: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: ISS,
      audience,
      typ: 'at+jwt',
      algorithms: ['PS256', 'ES256', 'RS256'],
      currentDate: new Date(NOW * 1000),
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
      clockTolerance: 0,
    });
    if (typeof payload.client_id !== 'string' || typeof payload.jti !== 'string') {
      return 'the access token lacks client_id or jti';
    }
    return 'ok';
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) return 'the access token has expired';
    if (e instanceof joseErrors.JOSEError) return 'the access token is invalid';
    if (e instanceof TypeError) return `jose threw ${e.message}`;
    throw e;
  }
}

function ourOutcome(token: string, audience?: string): string {
  try {
    verifyAccessToken(token, {
      keys,
      issuer: ISS,
      audience,
      clock: { now: () => NOW * 1000 },
      algorithms: ['PS256', 'ES256', 'RS256'],
    });
    return 'ok';
  } catch (e) {
    return (e as { error_description?: string }).error_description ?? String(e);
  }
}

describe('verifyAccessToken (node:crypto) gives the outcome jose jwtVerify gave', () => {
  it('on valid, expired, mistyped, misaddressed and malformed tokens', async () => {
    const { exp: _exp, ...noExp } = good;
    const tokens: [string, string][] = [
      ['good', await sign(good)],
      ['good PS256', await sign(good, { kid: 'ps' }, ps.privateKey)],
      ['typ application/at+jwt', await sign(good, { typ: 'application/AT+JWT' })],
      ['typ JWT', await sign(good, { typ: 'JWT' })],
      ['no typ', await sign(good, { typ: undefined })],
      ['expired', await sign({ ...good, exp: NOW })],
      ['exp string', await sign({ ...good, exp: String(NOW + 60) })],
      ['no exp', await sign(noExp)],
      ['nbf future', await sign({ ...good, nbf: NOW + 1 })],
      ['nbf now', await sign({ ...good, nbf: NOW })],
      ['nbf future and expired', await sign({ ...good, nbf: NOW + 1, exp: NOW - 1 })],
      ['iat string', await sign({ ...good, iat: 'x' })],
      ['iat future', await sign({ ...good, iat: NOW + 1000 })],
      ['wrong iss', await sign({ ...good, iss: 'https://other' })],
      ['aud array', await sign({ ...good, aud: ['x', AUD] })],
      ['wrong aud', await sign({ ...good, aud: 'x' })],
      ['client_id number', await sign({ ...good, client_id: 1 })],
      ['unknown kid', await sign(good, { kid: 'nope' })],
      ['kid of another key', await sign(good, { kid: 'ps' })],
      ['crit unknown', rawSign({ alg: 'ES256', kid: 'es', typ: 'at+jwt', crit: ['x'], x: 1 }, good)],
      ['crit empty', rawSign({ alg: 'ES256', kid: 'es', typ: 'at+jwt', crit: [] }, good)],
      [
        'crit b64 false',
        rawSign({ alg: 'ES256', kid: 'es', typ: 'at+jwt', crit: ['b64'], b64: false }, good),
      ],
      ['payload array', rawSign({ alg: 'ES256', kid: 'es', typ: 'at+jwt' }, [1])],
      ['header padded', rawSign({ alg: 'ES256', kid: 'es', typ: 'at+jwt' }, good).replace('.', '=.')],
      ['crit b64 true', await sign(good, { crit: ['b64'], b64: true })],
      ['garbage', 'a.b.c'],
      ['two parts', 'a.b'],
      ['empty', ''],
    ];
    const [h, , s] = (await sign(good)).split('.');
    tokens.push([
      'tampered payload',
      `${h}.${Buffer.from(JSON.stringify({ ...good, sub: 'v' })).toString('base64url')}.${s}`,
    ]);
    tokens.push(['alg none', `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.e30.`]);
    tokens.push(['alg HS256', `${Buffer.from('{"alg":"HS256","kid":"es"}').toString('base64url')}.e30.${s}`]);
    for (const audience of [AUD, undefined]) {
      for (const [name, token] of tokens) {
        const jose = await joseOutcome(token, audience);
        // jose threw a TypeError (a 500) for a kid naming a key of another algorithm; now invalid_token.
        const expected = jose.startsWith('jose threw') ? 'the access token is invalid' : jose;
        expect([name, ourOutcome(token, audience)]).toEqual([name, expected]);
      }
    }
  });

  it('takes an asynchronous key resolver for a fault of the server, not for a token it refuses', async () => {
    const token = await sign(good);
    let thrown: unknown;
    try {
      verifyAccessToken(token, {
        keys: async (header, input) => keys(header, input),
        issuer: ISS,
        clock: { now: () => NOW * 1000 },
        algorithms: ['ES256'],
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ error: 'server_error', status: 500 });
  });
});
