import { request as httpRequest } from 'node:http';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDpopKeyPair, jwkThumbprint, publicJwkOf, type DpopKeyPair } from '../../../src/client';
import {
  MustsBrowser,
  MustsLab,
  expectOAuthError,
  parseChallenge,
  type IssuedTokens,
  type LabResponse,
} from '../../support/musts-helpers';

/** One request with the DPoP header sent as separate header lines (fetch would merge them into one). */
function sendWithHeaderLines(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  body?: string,
): Promise<LabResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') responseHeaders.set(name, value);
          else if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
        }
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        expect(res.statusCode ?? 0, text).toBeLessThan(500);
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text, json, location: undefined });
      });
    });
    req.on('error', reject);
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.end(body);
  });
}

interface ProofTarget {
  key: DpopKeyPair;
  method: string;
  /** Absolute URL of the request. */
  url: string;
  accessToken?: string;
}

interface ProofCase {
  /** The §4.3 item it breaks. */
  name: string;
  /** The DPoP header value(s) to send. */
  make: (lab: MustsLab, target: ProofTarget) => Promise<string | string[]>;
}

const withAth = (target: ProofTarget) => (target.accessToken ? { accessToken: target.accessToken } : {});

/** RFC 9449 §4.3: one faulty proof per check; each must be refused. */
const faultyProofs: ProofCase[] = [
  {
    name: '(1) two DPoP header lines',
    make: async (lab, t) => [
      await lab.proof(t.key, t.method, t.url, withAth(t)),
      await lab.proof(t.key, t.method, t.url, withAth(t)),
    ],
  },
  { name: '(2) not a JWT', make: async () => 'not-a-jwt' },
  { name: '(2) three garbage segments', make: async () => 'eyJ.eyJ.AAA' },
  {
    name: '(2) a JWS with a JSON array payload',
    make: async (lab, t) => {
      const proof = await lab.proof(t.key, t.method, t.url, withAth(t));
      const [h, , s] = proof.split('.');
      return `${h}.${Buffer.from('[1,2]').toString('base64url')}.${s}`;
    },
  },
  ...(['jti', 'htm', 'htu', 'iat'] as const).map<ProofCase>((claim) => ({
    name: `(3) no ${claim}`,
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, { ...withAth(t), payloadOverrides: { [claim]: undefined } }),
  })),
  {
    name: '(4) typ JWT',
    make: (lab, t) => lab.proof(t.key, t.method, t.url, { ...withAth(t), headerOverrides: { typ: 'JWT' } }),
  },
  {
    name: '(4) no typ',
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, { ...withAth(t), headerOverrides: { typ: undefined } }),
  },
  {
    name: '(5) alg none',
    make: (lab, t) => lab.proof(t.key, t.method, t.url, { ...withAth(t), headerOverrides: { alg: 'none' } }),
  },
  {
    name: '(5) alg HS256',
    make: (lab, t) => lab.proof(t.key, t.method, t.url, { ...withAth(t), headerOverrides: { alg: 'HS256' } }),
  },
  {
    name: '(5) alg RS256 (not a FAPI algorithm)',
    make: async (lab, t) => lab.proof(await generateDpopKeyPair('RS256'), t.method, t.url, withAth(t)),
  },
  {
    name: '(5) PS256 with a 1024-bit RSA key (FAPI 2.0 SP §5.4.1: at least 2048)',
    make: async (lab, t) => {
      // jose refuses to make such a key; WebCrypto does not.
      const { privateKey, publicKey } = (await crypto.subtle.generateKey(
        { name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      )) as CryptoKeyPair;
      const publicJwk = publicJwkOf(await exportJWK(publicKey));
      const short: DpopKeyPair = {
        alg: 'PS256',
        privateKey,
        publicKey,
        publicJwk,
        thumbprint: await jwkThumbprint(publicJwk),
      };
      return lab.proof(short, t.method, t.url, withAth(t));
    },
  },
  {
    name: '(6) signed by another key than the header jwk',
    make: async (lab, t) => {
      const other = await generateDpopKeyPair('ES256');
      return lab.proof(other, t.method, t.url, { ...withAth(t), headerOverrides: { jwk: t.key.publicJwk } });
    },
  },
  {
    name: '(6) a tampered payload',
    make: async (lab, t) => {
      const proof = await lab.proof(t.key, t.method, t.url, withAth(t));
      const [h, p, s] = proof.split('.');
      const payload = JSON.parse(Buffer.from(p as string, 'base64url').toString()) as Record<string, unknown>;
      payload.jti = `${String(payload.jti)}x`;
      return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    },
  },
  {
    name: '(7) the header jwk holds the private key',
    make: async (lab, t) => {
      const extractable = await generateDpopKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(extractable.privateKey);
      return lab.proof(extractable, t.method, t.url, { ...withAth(t), headerOverrides: { jwk: privateJwk } });
    },
  },
  {
    // Node's base64url decoder skips what is not base64url: the key still imports and the proof
    // verifies, but its thumbprint would name another key than the same key written canonically.
    name: '(7) a header jwk member with a character outside base64url (é)',
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, {
        ...withAth(t),
        headerOverrides: { jwk: { ...t.key.publicJwk, x: `é${String(t.key.publicJwk.x)}` } },
      }),
  },
  {
    name: '(7) a header jwk member with base64 padding',
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, {
        ...withAth(t),
        headerOverrides: { jwk: { ...t.key.publicJwk, y: `${String(t.key.publicJwk.y)}=` } },
      }),
  },
  {
    name: '(8) htm is another method',
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, {
        ...withAth(t),
        payloadOverrides: { htm: t.method === 'GET' ? 'POST' : 'GET' },
      }),
  },
  {
    name: '(9) htu is another path',
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, { ...withAth(t), payloadOverrides: { htu: lab.url('/other') } }),
  },
  {
    name: '(9) htu is another origin',
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, {
        ...withAth(t),
        payloadOverrides: { htu: t.url.replace('127.0.0.1', 'localhost') },
      }),
  },
  {
    name: '(11) iat 61 s in the future',
    make: (lab, t) => lab.proof(t.key, t.method, t.url, { ...withAth(t), iat: lab.clock.seconds() + 61 }),
  },
  {
    name: '(11) iat 5 minutes old',
    make: (lab, t) => lab.proof(t.key, t.method, t.url, { ...withAth(t), iat: lab.clock.seconds() - 300 }),
  },
  {
    // RFC 7519 §4.1.5; FAPI 2.0 SP §5.3.2.1: nbf more than 60 s ahead is refused (here, more than 10 s).
    name: 'nbf 61 s in the future',
    make: (lab, t) =>
      lab.proof(t.key, t.method, t.url, { ...withAth(t), extraClaims: { nbf: lab.clock.seconds() + 61 } }),
  },
  {
    name: '(11) iat not a number',
    make: (lab, t) => lab.proof(t.key, t.method, t.url, { ...withAth(t), payloadOverrides: { iat: 'now' } }),
  },
];

/** §4.3 (12), at a resource only. */
const faultyResourceProofs: ProofCase[] = [
  {
    name: '(12) no ath',
    make: (lab, t) => lab.proof(t.key, t.method, t.url),
  },
  {
    name: '(12) ath of another token',
    make: (lab, t) => lab.proof(t.key, t.method, t.url, { accessToken: `${t.accessToken ?? ''}x` }),
  },
  {
    name: '(12) a valid proof by a key that is not the token’s cnf.jkt',
    make: async (lab, t) => lab.proof(await generateDpopKeyPair('ES256'), t.method, t.url, withAth(t)),
  },
];

/** RFC 9449 §7.1: 401 with a DPoP challenge naming the error and the accepted algorithms. */
function expectResourceChallenge(response: LabResponse, errors: readonly string[]): void {
  expect(response.status, response.text).toBe(401);
  const challenge = parseChallenge(response.headers.get('www-authenticate'));
  expect(challenge.scheme).toBe('DPoP');
  expect(errors).toContain(challenge.params.error);
  const algs = (challenge.params.algs ?? '').split(' ');
  expect(algs.length).toBeGreaterThan(0);
  for (const alg of algs) expect(['PS256', 'ES256', 'EdDSA']).toContain(alg);
}

describe('MUST: DPoP (RFC 9449)', () => {
  let lab: MustsLab;
  let tokens: IssuedTokens;

  beforeAll(async () => {
    lab = await MustsLab.start();
    tokens = await lab.fapiTokens();
  });
  afterAll(() => lab?.close());

  /** client_credentials for the fapi2 client, with the DPoP header value(s) given. */
  const tokenRequest = async (dpop: string | string[] | undefined) =>
    sendWithHeaderLines(
      lab.url('/token'),
      'POST',
      {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(dpop !== undefined ? { DPoP: dpop } : {}),
      },
      new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'accounts',
        ...(await lab.clientAuth()),
      }).toString(),
    );

  const resourceRequest = (
    path: string,
    dpop: string | string[],
    scheme = 'DPoP',
    token = tokens.access_token,
  ) => sendWithHeaderLines(lab.url(path), 'GET', { Authorization: `${scheme} ${token}`, DPoP: dpop });

  describe('at the token endpoint: 400 invalid_dpop_proof', () => {
    it('a valid proof is accepted: token_type DPoP, cnf.jkt in the token and at introspection', async () => {
      const key = await lab.dpopKey();
      const response = await tokenRequest(await lab.proof(key, 'POST', '/token'));
      expect(response.status, response.text).toBe(200);
      expect(response.json?.token_type).toBe('DPoP');
      const accessToken = response.json?.access_token as string;
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString()) as {
        cnf?: { jkt?: string };
      };
      expect(claims.cnf?.jkt).toBe(key.thumbprint);
      expect(await lab.introspect(accessToken)).toMatchObject({
        active: true,
        token_type: 'DPoP',
        cnf: { jkt: key.thumbprint },
      });
    });

    it.each(faultyProofs.map((c) => [c.name, c] as const))('%s', async (_name, proofCase) => {
      const key = await lab.dpopKey();
      const dpop = await proofCase.make(lab, { key, method: 'POST', url: lab.url('/token') });
      expectOAuthError(await tokenRequest(dpop), 400, 'invalid_dpop_proof');
    });

    it('a client registered with dpop_bound_access_tokens must send a proof', async () => {
      expectOAuthError(await tokenRequest(undefined), 400, 'invalid_dpop_proof');
    });

    it('replay: the same proof twice is refused the second time', async () => {
      const proof = await lab.proof(await lab.dpopKey(), 'POST', '/token');
      expect((await tokenRequest(proof)).status).toBe(200);
      expectOAuthError(await tokenRequest(proof), 400, 'invalid_dpop_proof');
    });

    it('accepted: htu with a query and a fragment, scheme and host in upper case', async () => {
      const key = await lab.dpopKey();
      for (const htu of [
        `${lab.url('/token')}?a=1`,
        `${lab.url('/token')}#frag`,
        lab.url('/token').replace('http://', 'HTTP://'),
      ]) {
        const response = await tokenRequest(
          await lab.proof(key, 'POST', '/token', { payloadOverrides: { htu } }),
        );
        expect(response.status, `${htu}: ${response.text}`).toBe(200);
      }
    });

    it('accepted: extra claims (exp, nbf, a private claim) in a proof', async () => {
      const now = lab.clock.seconds();
      const proof = await lab.proof(await lab.dpopKey(), 'POST', '/token', {
        extraClaims: { exp: now + 60, nbf: now - 1, 'x-lab': 'extra' },
      });
      const response = await tokenRequest(proof);
      expect(response.status, response.text).toBe(200);
    });

    it('accepted: nbf 10 s in the future (FAPI 2.0 SP §5.3.2.1)', async () => {
      const proof = await lab.proof(await lab.dpopKey(), 'POST', '/token', {
        extraClaims: { nbf: lab.clock.seconds() + 10 },
      });
      const response = await tokenRequest(proof);
      expect(response.status, response.text).toBe(200);
    });

    it('accepted: iat 10 s in the future and 10 s in the past', async () => {
      const key = await lab.dpopKey();
      for (const iat of [lab.clock.seconds() + 10, lab.clock.seconds() - 10]) {
        const response = await tokenRequest(await lab.proof(key, 'POST', '/token', { iat }));
        expect(response.status, `iat ${iat}: ${response.text}`).toBe(200);
      }
    });

    it('accepted: EdDSA and PS256 proofs', async () => {
      for (const alg of ['EdDSA', 'PS256'] as const) {
        const response = await tokenRequest(await lab.proof(await lab.dpopKey(alg), 'POST', '/token'));
        expect(response.status, `${alg}: ${response.text}`).toBe(200);
      }
    });
  });

  for (const path of ['/userinfo', '/api/accounts']) {
    describe(`at the resource ${path}: 401 with WWW-Authenticate: DPoP`, () => {
      it('a valid proof with ath is accepted; the scheme is case-insensitive', async () => {
        const ok = await resourceRequest(
          path,
          await lab.proof(tokens.dpopKey, 'GET', path, { accessToken: tokens.access_token }),
        );
        expect(ok.status, ok.text).toBe(200);
        const lower = await resourceRequest(
          path,
          await lab.proof(tokens.dpopKey, 'GET', path, { accessToken: tokens.access_token }),
          'dpop',
        );
        expect(lower.status, lower.text).toBe(200);
      });

      it.each([...faultyProofs, ...faultyResourceProofs].map((c) => [c.name, c] as const))(
        '%s',
        async (name, proofCase) => {
          const dpop = await proofCase.make(lab, {
            key: tokens.dpopKey,
            method: 'GET',
            url: lab.url(path),
            accessToken: tokens.access_token,
          });
          const errors = name.includes('cnf.jkt')
            ? ['invalid_dpop_proof', 'invalid_token']
            : ['invalid_dpop_proof'];
          expectResourceChallenge(await resourceRequest(path, dpop), errors);
        },
      );

      it('replay: the same proof twice is refused the second time', async () => {
        const proof = await lab.proof(tokens.dpopKey, 'GET', path, { accessToken: tokens.access_token });
        expect((await resourceRequest(path, proof)).status).toBe(200);
        expectResourceChallenge(await resourceRequest(path, proof), ['invalid_dpop_proof']);
      });

      it('a DPoP-bound token sent as Bearer is refused (401)', async () => {
        const response = await sendWithHeaderLines(lab.url(path), 'GET', {
          Authorization: `Bearer ${tokens.access_token}`,
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBeTruthy();
        const withProof = await resourceRequest(
          path,
          await lab.proof(tokens.dpopKey, 'GET', path, { accessToken: tokens.access_token }),
          'Bearer',
        );
        expect(withProof.status).toBe(401);
      });

      it('a DPoP-bound token in the query string is not accepted', async () => {
        const proof = await lab.proof(tokens.dpopKey, 'GET', path, { accessToken: tokens.access_token });
        const response = await sendWithHeaderLines(
          `${lab.url(path)}?access_token=${encodeURIComponent(tokens.access_token)}`,
          'GET',
          { DPoP: proof },
        );
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.json?.sub).toBeUndefined();
        expect(response.json?.data).toBeUndefined();
      });

      it('a DPoP token without any proof is refused (401)', async () => {
        const response = await sendWithHeaderLines(lab.url(path), 'GET', {
          Authorization: `DPoP ${tokens.access_token}`,
        });
        expect(response.status).toBe(401);
        expect(parseChallenge(response.headers.get('www-authenticate')).scheme).toBe('DPoP');
      });

      it('a forged or unknown access token is invalid_token', async () => {
        const [h, p] = tokens.access_token.split('.');
        const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
        const response = await resourceRequest(
          path,
          await lab.proof(tokens.dpopKey, 'GET', path, { accessToken: forged }),
          'DPoP',
          forged,
        );
        expectResourceChallenge(response, ['invalid_token']);
      });
    });
  }

  it('userinfo by POST with the DPoP-bound token in the form body is refused (RFC 9449 §7.1: Authorization header)', async () => {
    const proof = await lab.proof(tokens.dpopKey, 'POST', '/userinfo', { accessToken: tokens.access_token });
    const response = await sendWithHeaderLines(
      lab.url('/userinfo'),
      'POST',
      { 'Content-Type': 'application/x-www-form-urlencoded', DPoP: proof },
      new URLSearchParams({ access_token: tokens.access_token }).toString(),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.json?.sub).toBeUndefined();
  });

  describe('binding the code to the DPoP key (RFC 9449 §10)', () => {
    it('PAR: dpop_jkt and a DPoP proof by another key are refused', async () => {
      const keyA = await lab.dpopKey();
      const keyB = await lab.dpopKey();
      const { params } = await lab.fapiParams({ dpop_jkt: keyA.thumbprint });
      const response = await lab.par(params, { DPoP: await lab.proof(keyB, 'POST', '/par') });
      expectOAuthError(response, 400, 'invalid_dpop_proof');
      const agreeing = await lab.par((await lab.fapiParams({ dpop_jkt: keyA.thumbprint })).params, {
        DPoP: await lab.proof(keyA, 'POST', '/par'),
      });
      expect(agreeing.status, agreeing.text).toBe(201);
    });

    it('a code bound by dpop_jkt is refused with a proof by another key, and accepted with its own', async () => {
      const keyA = await lab.dpopKey();
      const keyB = await lab.dpopKey();
      const { code, pkce } = await lab.fapiCode({}, { dpopJkt: keyA.thumbprint });
      const wrong = await lab.redeemFapiCode(code, pkce.code_verifier, keyB);
      expect(wrong.status).toBe(400);
      expect(['invalid_dpop_proof', 'invalid_grant']).toContain(wrong.json?.error);
      const second = await lab.fapiCode({}, { dpopJkt: keyA.thumbprint });
      const right = await lab.redeemFapiCode(second.code, second.pkce.code_verifier, keyA);
      expect(right.status, right.text).toBe(200);
    });

    it('a code bound by a DPoP proof at PAR is refused with another key', async () => {
      const keyA = await lab.dpopKey();
      const keyB = await lab.dpopKey();
      const { params, pkce } = await lab.fapiParams();
      const pushed = await lab.par(params, { DPoP: await lab.proof(keyA, 'POST', '/par') });
      expect(pushed.status, pushed.text).toBe(201);
      const done = await new MustsBrowser().authorize(
        lab.authorizeUrl(pushed.json?.request_uri as string),
        lab.issuer,
      );
      const code = done.location?.searchParams.get('code') as string;
      const wrong = await lab.redeemFapiCode(code, pkce.code_verifier, keyB);
      expect(wrong.status).toBe(400);
      expect(['invalid_dpop_proof', 'invalid_grant']).toContain(wrong.json?.error);
    });
  });
});
