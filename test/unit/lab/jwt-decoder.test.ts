import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_JWT_JSON_DEPTH } from '../../../src/common/json-depth';
import { createJwtDecoder } from '../../../src/server/lab/jwt-decoder';
import { findJwts } from '../../../src/server/lab/jwt-finder';
import { makeExchange } from './helpers';

let serverKey: CryptoKeyPair;
let otherKey: CryptoKeyPair;
let dpopKey: CryptoKeyPair;
let accessToken: string;
let idToken: string;
let forged: string;
let proof: string;
let assertion: string;

beforeAll(async () => {
  serverKey = await generateKeyPair('ES256');
  otherKey = await generateKeyPair('ES256');
  dpopKey = await generateKeyPair('ES256', { extractable: true });
  accessToken = await new SignJWT({ scope: 'openid' })
    .setProtectedHeader({ alg: 'ES256', kid: 's1' })
    .sign(serverKey.privateKey);
  idToken = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'ES256', kid: 's1' })
    .sign(serverKey.privateKey);
  forged = await new SignJWT({ sub: 'mallory' })
    .setProtectedHeader({ alg: 'ES256', kid: 's1' })
    .sign(otherKey.privateKey);
  proof = await new SignJWT({ htm: 'POST', htu: 'http://127.0.0.1/token', jti: 'j1' })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(dpopKey.publicKey) })
    .setIssuedAt()
    .sign(dpopKey.privateKey);
  assertion = await new SignJWT({ iss: 'client-1' })
    .setProtectedHeader({ alg: 'ES256', kid: 'c1' })
    .sign(otherKey.privateKey);
});

const dpopExchange = (dpop: string) =>
  makeExchange({ requestHeaders: { DPoP: dpop }, url: 'http://127.0.0.1/token' });

/** A DPoP proof whose jwk header carries the private key too: RFC 9449 §4.3 (7) refuses it. */
async function leakyProof(jti: string): Promise<string> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return new SignJWT({ htm: 'POST', htu: 'http://127.0.0.1/token', jti })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(pair.privateKey) })
    .setIssuedAt()
    .sign(pair.privateKey);
}

describe('JWT finder', () => {
  it('finds JWTs in the Authorization and DPoP headers, the form, the query and the JSON response', () => {
    const exchange = makeExchange({
      url: `http://127.0.0.1/end_session?id_token_hint=${idToken}`,
      requestHeaders: {
        Authorization: `DPoP ${accessToken}`,
        DPoP: proof,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      requestBody: new URLSearchParams({
        client_assertion: assertion,
        token: accessToken,
        code: 'not-a-jwt',
      }).toString(),
      responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
      responseBody: JSON.stringify({ access_token: accessToken, id_token: idToken, token_type: 'DPoP' }),
    });
    expect(findJwts(exchange).map((j) => [j.location, j.kind])).toEqual([
      ['request.header.Authorization', 'access_token'],
      ['request.header.DPoP', 'dpop_proof'],
      ['request.query.id_token_hint', 'id_token_hint'],
      ['request.form.client_assertion', 'client_assertion'],
      ['request.form.token', 'access_token'],
      ['response.json.access_token', 'access_token'],
      ['response.json.id_token', 'id_token'],
    ]);
  });

  it('finds an id_token_hint whose name the query percent-encodes', () => {
    const exchange = makeExchange({
      url: `http://127.0.0.1/end_session?id%5Ftoken%5Fhint=${idToken}&state=s`,
    });
    expect(findJwts(exchange).map((j) => [j.location, j.raw])).toEqual([
      ['request.query.id_token_hint', idToken],
    ]);
  });

  it('ignores opaque values, non-JSON bodies and unknown schemes', () => {
    const exchange = makeExchange({
      requestHeaders: { authorization: 'Basic Zm9vOmJhcg==', 'content-type': 'text/plain' },
      requestBody: `client_assertion=${assertion}`,
      responseHeaders: { 'content-type': 'text/html' },
      responseBody: JSON.stringify({ id_token: idToken }),
    });
    expect(findJwts(exchange)).toEqual([]);
  });
});

describe('JWT decoder', () => {
  it('decodes and verifies with the resolved key, DPoP proofs with their embedded jwk', async () => {
    const resolve = vi.fn(async ({ header }: { header: Record<string, unknown> }) =>
      header.kid === 's1' ? { key: serverKey.publicKey, name: 'server:s1' } : undefined,
    );
    const decoder = createJwtDecoder(resolve);
    const exchange = makeExchange({
      requestHeaders: { authorization: `DPoP ${forged}`, dpop: proof },
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: JSON.stringify({ access_token: accessToken }),
    });
    const enriched = await decoder.enrich(exchange);
    const [auth, dpop, issued] = enriched.jwts;
    expect(auth).toMatchObject({ kind: 'access_token', payload: { sub: 'mallory' } });
    expect(auth!.signature).toMatchObject({ verified: false, key: 'server:s1' });
    expect(dpop).toMatchObject({ kind: 'dpop_proof', header: { typ: 'dpop+jwt' }, payload: { htm: 'POST' } });
    expect(dpop!.signature.verified).toBe(true);
    expect(dpop!.signature.key).toMatch(/^embedded jwk [A-Za-z0-9_-]{43}$/);
    expect(issued).toMatchObject({
      location: 'response.json.access_token',
      signature: { verified: true, key: 'server:s1' },
    });
    // Memoised: the same event is not decoded twice, and the source event is left as captured.
    expect(await decoder.enrich(exchange)).toBe(enriched);
    expect(exchange.jwts).toEqual([]);
  });

  it('reports null when no key is known', async () => {
    const decoder = createJwtDecoder(async () => undefined);
    const [jwt] = (
      await decoder.enrich(makeExchange({ requestHeaders: { authorization: `Bearer ${assertion}` } }))
    ).jwts;
    expect(jwt!.signature.verified).toBeNull();
  });

  it('drops strings that only look like JWTs', async () => {
    const decoder = createJwtDecoder();
    const exchange = makeExchange({ requestHeaders: { authorization: 'Bearer aaa.bbb.ccc' } });
    expect((await decoder.enrich(exchange)).jwts).toEqual([]);
  });

  it('leaves undecoded a JWT nested deeper than MAX_JWT_JSON_DEPTH, which JSON.stringify could not write', async () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const jwtNested = (depth: number) =>
      `${b64('{"alg":"none"}')}.${b64(`{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`)}.`;
    const decoder = createJwtDecoder();
    const enrich = async (jwt: string) =>
      (await decoder.enrich(makeExchange({ requestHeaders: { authorization: `Bearer ${jwt}` } }))).jwts;

    const deepest = await enrich(jwtNested(MAX_JWT_JSON_DEPTH));
    expect(deepest).toHaveLength(1);
    expect(() => JSON.stringify(deepest)).not.toThrow();
    expect(await enrich(jwtNested(MAX_JWT_JSON_DEPTH + 1))).toEqual([]);
    // 13 KB, under the size of JWT the finder takes: decoded, it made the event stream throw.
    const hostile = jwtNested(5000);
    expect(hostile.length).toBeLessThan(16 * 1024);
    expect(await enrich(hostile)).toEqual([]);
  });
});

describe('JWT decoder refuses to call a non-proof verified (RFC 9449 §4.3 (5), (7))', () => {
  it('an HS256 proof with a symmetric jwk is not verified, even though its MAC checks out', async () => {
    const secret = new Uint8Array(32).fill(7);
    const hs = await new SignJWT({ htm: 'POST', htu: 'http://127.0.0.1/token', jti: 'h1' })
      .setProtectedHeader({
        alg: 'HS256',
        typ: 'dpop+jwt',
        // A forged header: jose's types rightly refuse a symmetric jwk, which is the point here.
        jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') } as unknown as JWK,
      })
      .setIssuedAt()
      .sign(secret);
    const [jwt] = (await createJwtDecoder().enrich(dpopExchange(hs))).jwts;
    expect(jwt?.signature.verified).toBe(false);
    expect(jwt?.signature.detail).toMatch(/not an asymmetric/);
  });

  it('a proof whose jwk carries the private key is not verified', async () => {
    const [jwt] = (await createJwtDecoder().enrich(dpopExchange(await leakyProof('p1')))).jwts;
    expect(jwt?.signature.verified).toBe(false);
    expect(jwt?.signature.detail).toMatch(/private key members \(d\)/);
  });

  it('a proof whose RSA key is too large to verify with cheaply is not verified', async () => {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const ones = (bytes: number) => Buffer.alloc(bytes, 0xff).toString('base64url');
    const jwk = { kty: 'RSA', n: ones(384), e: ones(383) };
    const huge = `${b64({ typ: 'dpop+jwt', alg: 'RS256', jwk })}.${b64({ jti: 'j', htm: 'GET' })}.${ones(384)}`;
    const [decoded] = (await createJwtDecoder().enrich(dpopExchange(huge))).jwts;
    expect(decoded?.signature).toMatchObject({
      verified: false,
      detail: 'the embedded jwk is too large to verify with: an RSA exponent of more than 256 bits',
    });
  });

  it('a sound proof is verified with its embedded key', async () => {
    const [jwt] = (await createJwtDecoder().enrich(dpopExchange(proof))).jwts;
    expect(jwt?.signature.verified).toBe(true);
  });
});

describe('JWT decoder cache', () => {
  it('keeps JWTs up to a number of characters too, however few they are', async () => {
    const resolve = vi.fn(async () => ({ key: serverKey.publicKey, name: 'server kid s1' }));
    const tokens = await Promise.all(
      ['a', 'b', 'c'].map((sub) =>
        new SignJWT({ sub }).setProtectedHeader({ alg: 'ES256', kid: 's1' }).sign(serverKey.privateKey),
      ),
    );
    const size = `access_token\u0000${tokens[0]}`.length;
    // Room for two of them, by characters; by count, for a thousand.
    const decoder = createJwtDecoder(resolve, { cacheSize: 1000, cacheChars: 2 * size + 10 });
    const enrich = (token: string) =>
      decoder.enrich(makeExchange({ requestHeaders: { authorization: `DPoP ${token}` } }));
    for (const token of tokens) await enrich(token);
    expect(resolve).toHaveBeenCalledTimes(3);
    await enrich(tokens[2]!); // kept
    await enrich(tokens[1]!); // kept
    expect(resolve).toHaveBeenCalledTimes(3);
    await enrich(tokens[0]!); // dropped when the third came: decoded again
    expect(resolve).toHaveBeenCalledTimes(4);
  });

  it('keeps tokens apart from one-shot proofs, which cannot push them out', async () => {
    const resolve = vi.fn(async () => ({ key: serverKey.publicKey, name: 'server kid s1' }));
    const decoder = createJwtDecoder(resolve, { cacheSize: 2, oneShotCacheSize: 2 });
    const withToken = () => makeExchange({ requestHeaders: { authorization: `DPoP ${accessToken}` } });
    await decoder.enrich(withToken());
    for (let i = 0; i < 3; i++) {
      const one = await new SignJWT({ htm: 'GET', htu: 'http://127.0.0.1/api', jti: `c${i}` })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(dpopKey.publicKey) })
        .setIssuedAt()
        .sign(dpopKey.privateKey);
      await decoder.enrich(makeExchange({ requestHeaders: { dpop: one } }));
    }
    expect((await decoder.enrich(withToken())).jwts[0]!.signature.verified).toBe(true);
    expect(resolve).toHaveBeenCalledTimes(1);
  });
});

describe('JWT decoder: signatures the provider verified while handling the request', () => {
  const withToken = (token: string) => makeExchange({ requestHeaders: { authorization: `DPoP ${token}` } });

  it('shows a witnessed signature verified with the key the provider named, without verifying it', async () => {
    // A resolver whose key would refuse the token: what the witness says is shown, unverified here.
    const resolve = vi.fn(async () => ({ key: otherKey.publicKey, name: 'server kid s1' }));
    const decoder = createJwtDecoder(resolve);
    decoder.witnessSignature(accessToken, 'server kid s1');
    const [jwt] = (await decoder.enrich(withToken(accessToken))).jwts;
    expect(jwt!.signature).toEqual({ verified: true, key: 'server kid s1' });
    expect(resolve).not.toHaveBeenCalled();
    // Used once: the same JWT met as another kind is verified by the decoder itself.
    const hint = makeExchange({ url: `http://127.0.0.1/end_session?id_token_hint=${accessToken}` });
    const [again] = (await decoder.enrich(hint)).jwts;
    expect(again!.kind).toBe('id_token_hint');
    expect(again!.signature).toMatchObject({ verified: false, key: 'server kid s1' });
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('still applies its own rules to a DPoP proof first (RFC 9449 §4.3 (7): no private key)', async () => {
    const leaky = await leakyProof('w1');
    const decoder = createJwtDecoder();
    decoder.witnessSignature(leaky, 'embedded jwk x');
    const [jwt] = (await decoder.enrich(dpopExchange(leaky))).jwts;
    expect(jwt!.signature.verified).toBe(false);
  });

  it('keeps only the newest witnesses', async () => {
    const decoder = createJwtDecoder(async () => ({ key: otherKey.publicKey, name: 'server kid s1' }));
    decoder.witnessSignature(accessToken, 'server kid s1');
    for (let i = 0; i < 5000; i++) decoder.witnessSignature(`a${i}.b.c`, 'server kid s1');
    // Dropped: verified again, with the (wrong) key the resolver gives, so refused.
    const [jwt] = (await decoder.enrich(withToken(accessToken))).jwts;
    expect(jwt!.signature).toMatchObject({ verified: false, key: 'server kid s1' });
  });
});

describe('JWT decoder: algorithms the provider does not use are verified with jose', () => {
  it('ES384, with the resolved key: verified, and refused with another', async () => {
    const pair = await generateKeyPair('ES384');
    const other = await generateKeyPair('ES384');
    const es384 = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'ES384', kid: 'x1' })
      .sign(pair.privateKey);
    const exchange = makeExchange({ requestHeaders: { authorization: `Bearer ${es384}` } });
    const good = createJwtDecoder(async () => ({ key: pair.publicKey, name: 'k' }));
    expect((await good.enrich(exchange)).jwts[0]!.signature).toEqual({ verified: true, key: 'k' });
    const bad = createJwtDecoder(async () => ({ key: other.publicKey, name: 'k' }));
    expect((await bad.enrich(exchange)).jwts[0]!.signature).toMatchObject({ verified: false, key: 'k' });
  });
});
