import { describe, expect, it } from 'vitest';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import {
  accessTokenFromAuthorization,
  accessTokenHash,
  compareProofWithRequest,
  normaliseHtu,
} from '../../../src/renderer/model/dpop-proof-match';

const sentAt = 1_700_000_000_000;

function proof(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { typ: 'dpop+jwt', alg: 'ES256' },
) {
  return {
    header,
    payload: { jti: 'j-1', htm: 'POST', htu: 'http://127.0.0.1:4000/token', iat: sentAt / 1000, ...payload },
  };
}

function byClaim(rows: Awaited<ReturnType<typeof compareProofWithRequest>>) {
  return Object.fromEntries(rows.map((r) => [r.claim, r.matched]));
}

describe('DPoP proof against its request', () => {
  it('computes ath as base64url SHA-256 of the token (RFC 9449 §4.2 example)', async () => {
    // The access token and ath of the example in RFC 9449 §7.1.
    expect(await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    );
  });

  it('matches a proof that fits its request', async () => {
    const rows = await compareProofWithRequest(proof({}), {
      method: 'post',
      url: 'http://127.0.0.1:4000/token?x=1#f',
      sentAt,
    });
    expect(byClaim(rows)).toEqual({ typ: true, htm: true, htu: true, iat: true, jti: true, ath: null });
    expect(rows.find((r) => r.claim === 'htm')?.ref).toBe('RFC 9449 §4.3 (8)');
  });

  it('flags htm, htu, typ and a missing jti', async () => {
    const rows = await compareProofWithRequest(
      proof({ htm: 'GET', htu: 'http://127.0.0.1:4000/par', jti: undefined }, { typ: 'JWT' }),
      { method: 'POST', url: 'http://127.0.0.1:4000/token', sentAt },
    );
    expect(byClaim(rows)).toMatchObject({ typ: false, htm: false, htu: false, jti: false });
  });

  it('normalises htu: scheme and host case and the default port do not matter', async () => {
    expect(normaliseHtu('HTTP://LOCALHOST:80/a?b#c')).toBe('http://localhost/a');
    const rows = await compareProofWithRequest(proof({ htu: 'HTTP://Example.com:443/x' }), {
      method: 'POST',
      url: 'http://example.com/x',
      sentAt,
    });
    // 443 is not http's default port: a different origin.
    expect(byClaim(rows).htu).toBe(false);
  });

  it('accepts iat 60 s back and 10 s ahead, not beyond', async () => {
    const at = async (delta: number) =>
      byClaim(
        await compareProofWithRequest(proof({ iat: sentAt / 1000 + delta }), {
          method: 'POST',
          url: 'http://127.0.0.1:4000/token',
          sentAt,
        }),
      ).iat;
    expect(await at(-60)).toBe(true);
    expect(await at(10)).toBe(true);
    expect(await at(-61)).toBe(false);
    expect(await at(11)).toBe(false);
    expect(await at(Number.NaN)).toBe(false);
  });

  it('checks ath against the access token sent, and the proof key against cnf.jkt', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const jkt = await calculateJwkThumbprint(jwk, 'sha256');
    const token = 'the-access-token';
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk };
    const good = await compareProofWithRequest(
      proof({ ath: await accessTokenHash(token), htm: 'GET' }, header),
      {
        method: 'GET',
        url: 'http://127.0.0.1:4000/userinfo',
        sentAt,
        accessToken: token,
        boundJkt: jkt,
      },
    );
    expect(byClaim(good)).toMatchObject({ ath: true, jkt: true });
    const bad = await compareProofWithRequest(
      proof({ ath: await accessTokenHash('another'), htm: 'GET' }, header),
      {
        method: 'GET',
        url: 'http://127.0.0.1:4000/userinfo',
        sentAt,
        accessToken: token,
        boundJkt: 'not-the-thumbprint',
      },
    );
    expect(byClaim(bad)).toMatchObject({ ath: false, jkt: false });
  });

  it('flags an ath where no token was sent, and a replayed jti', async () => {
    const rows = await compareProofWithRequest(proof({ ath: 'x' }), {
      method: 'POST',
      url: 'http://127.0.0.1:4000/token',
      sentAt,
      otherJtis: new Set(['j-1']),
    });
    expect(byClaim(rows)).toMatchObject({ ath: false, jti: false });
  });

  it('reads the access token from an Authorization header', () => {
    expect(accessTokenFromAuthorization('DPoP abc.def')).toBe('abc.def');
    expect(accessTokenFromAuthorization('bearer xyz')).toBe('xyz');
    expect(accessTokenFromAuthorization('Basic Zm9v')).toBeUndefined();
    expect(accessTokenFromAuthorization(undefined)).toBeUndefined();
  });
});
