import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import {
  CompactSign,
  FlattenedSign,
  SignJWT,
  compactVerify,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import { describe, expect, it } from 'vitest';
import {
  JWS_ALGS,
  JwsError,
  decodeBase64urlStrict,
  decodeCompactJwt,
  keyObjectOf,
  signCompactJwsSync,
  verifyCompactJwsSync,
  type JwsAlg,
} from '../../../../src/server/infrastructure/jws';

const pairs = Object.fromEntries(
  await Promise.all(
    JWS_ALGS.map(async (alg) => [alg, await generateKeyPair(alg, { extractable: true })] as const),
  ),
) as Record<JwsAlg, { publicKey: CryptoKey; privateKey: CryptoKey }>;
const pub = (alg: JwsAlg) => KeyObject.from(pairs[alg].publicKey);
const priv = (alg: JwsAlg) => KeyObject.from(pairs[alg].privateKey);
const other: Record<JwsAlg, KeyObject> = Object.fromEntries(
  await Promise.all(
    JWS_ALGS.map(async (alg) => [alg, KeyObject.from((await generateKeyPair(alg)).publicKey)] as const),
  ),
) as Record<JwsAlg, KeyObject>;

const joseJwt = (alg: JwsAlg, header: Record<string, unknown> = {}) =>
  new SignJWT({ sub: 'alice', n: 1 })
    .setProtectedHeader({ alg, kid: 'k1', ...header })
    .sign(pairs[alg].privateKey);

const tamper = (jws: string, part: 0 | 1 | 2) => {
  const parts = jws.split('.');
  const s = parts[part] as string;
  parts[part] = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
  return parts.join('.');
};

describe.each(JWS_ALGS)('%s', (alg) => {
  it('verifies what jose signs, and returns the header and payload', async () => {
    const { header, payload } = verifyCompactJwsSync(await joseJwt(alg), pub(alg), alg);
    expect(header).toEqual({ alg, kid: 'k1' });
    expect(JSON.parse(payload.toString('utf8'))).toEqual({ sub: 'alice', n: 1 });
  });

  it('signs what jose verifies, byte-for-byte the JWT jose would build', async () => {
    const header = { alg, kid: 'k1', typ: 'at+jwt' };
    const payload = { sub: 'alice', aud: 'x', iat: 1, exp: 2 };
    const jws = signCompactJwsSync(header, payload, priv(alg), alg);
    const { payload: claims, protectedHeader } = await jwtVerify(jws, pairs[alg].publicKey, {
      algorithms: [alg],
      currentDate: new Date(1000),
    });
    expect(protectedHeader).toEqual(header);
    expect(claims).toEqual(payload);
    const jose = await new SignJWT(payload).setProtectedHeader(header).sign(pairs[alg].privateKey);
    expect(jws.split('.').slice(0, 2)).toEqual(jose.split('.').slice(0, 2));
    expect(verifyCompactJwsSync(jws, pub(alg), alg).header).toEqual(header);
  });

  it('refuses another key, a tampered header, payload or signature, and a key given for another alg', async () => {
    const jws = await joseJwt(alg);
    expect(() => verifyCompactJwsSync(jws, other[alg], alg)).toThrow(JwsError);
    for (const part of [0, 1, 2] as const) {
      expect(() => verifyCompactJwsSync(tamper(jws, part), pub(alg), alg)).toThrow(JwsError);
    }
    for (const otherAlg of JWS_ALGS.filter((a) => a !== alg)) {
      expect(() => verifyCompactJwsSync(jws, pub(alg), otherAlg)).toThrow(JwsError);
      expect(() => verifyCompactJwsSync(jws, pub(otherAlg), alg)).toThrow(JwsError);
    }
    expect(() => verifyCompactJwsSync(jws, priv(alg), alg)).toThrow(JwsError);
    expect(() => signCompactJwsSync({ alg }, {}, pub(alg), alg)).toThrow(JwsError);
  });

  it('refuses a header alg other than the one expected, none and HMAC included', async () => {
    const [, p, s] = (await joseJwt(alg)).split('.');
    for (const headerAlg of ['none', 'HS256', undefined, 'es256']) {
      const h = Buffer.from(JSON.stringify({ alg: headerAlg })).toString('base64url');
      expect(() => verifyCompactJwsSync(`${h}.${p}.${s}`, pub(alg), alg)).toThrow(JwsError);
    }
  });
});

describe('verifyCompactJwsSync on malformed input', () => {
  it('throws a JwsError, never anything else', async () => {
    const jws = await joseJwt('ES256');
    const [h, p, s] = jws.split('.') as [string, string, string];
    const bad: unknown[] = [
      '',
      '..',
      'a.b',
      `${jws}.x`,
      `${h}.${p}`,
      `${h}.${p}.`,
      `${h}=.${p}.${s}`,
      `${h}.${p}.${s}=`,
      `${h}.${p}.${s.slice(0, -1)}`,
      `${h}.${p} .${s}`,
      `${h}.${p}.${s.replace(/-/g, '+')}${s.includes('-') ? '' : '+'}`,
      `${Buffer.from('[1]').toString('base64url')}.${p}.${s}`,
      `${Buffer.from('null').toString('base64url')}.${p}.${s}`,
      `${Buffer.from([0xff, 0xfe]).toString('base64url')}.${p}.${s}`,
      `${h}.${p}.${Buffer.alloc(63).toString('base64url')}`,
      `${h}.${p}.${Buffer.alloc(65).toString('base64url')}`,
      `${h}.${p}.${Buffer.alloc(64).toString('base64url')}`,
      123,
      null,
      undefined,
    ];
    for (const input of bad) {
      expect(() => verifyCompactJwsSync(input as string, pub('ES256'), 'ES256')).toThrow(JwsError);
    }
    for (const key of [null, undefined, {}, 'key']) {
      expect(() => verifyCompactJwsSync(jws, key as unknown as KeyObject, 'ES256')).toThrow(JwsError);
    }
    expect(() => verifyCompactJwsSync(jws, pub('ES256'), 'HS256')).toThrow(JwsError);
    expect(() => verifyCompactJwsSync(jws, pub('ES256'), 'none')).toThrow(JwsError);
  });

  it('treats crit as jose does: b64 is understood, anything else is refused', async () => {
    const key = pairs.ES256.privateKey;
    const payload = new TextEncoder().encode('{"a":1}');
    const withB64 = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'ES256', crit: ['b64'], b64: true })
      .sign(key);
    await compactVerify(withB64, pairs.ES256.publicKey);
    expect(verifyCompactJwsSync(withB64, pub('ES256'), 'ES256').payload.toString()).toBe('{"a":1}');
    const flat = await new FlattenedSign(new TextEncoder().encode('abc'))
      .setProtectedHeader({ alg: 'ES256', crit: ['b64'], b64: false })
      .sign(key);
    const unencoded = `${flat.protected}.abc.${flat.signature}`;
    await compactVerify(unencoded, pairs.ES256.publicKey);
    expect(verifyCompactJwsSync(unencoded, pub('ES256'), 'ES256').payload.toString()).toBe('abc');
    // b64: false outside crit is not RFC 7797: the payload is base64url as usual.
    const h = Buffer.from(JSON.stringify({ alg: 'ES256', b64: false })).toString('base64url');
    const notCrit = await new CompactSign(payload).setProtectedHeader({ alg: 'ES256', b64: false }).sign(key);
    await compactVerify(notCrit, pairs.ES256.publicKey);
    const verified = verifyCompactJwsSync(notCrit, pub('ES256'), 'ES256');
    expect([verified.payload.toString(), verified.b64, notCrit.startsWith(h)]).toEqual([
      '{"a":1}',
      true,
      true,
    ]);
    for (const header of [
      { crit: ['exp'], exp: 1 },
      { crit: [] },
      { crit: 'b64', b64: true },
      { crit: ['b64'] },
      { crit: ['b64'], b64: 'yes' },
    ]) {
      const h = Buffer.from(JSON.stringify({ alg: 'ES256', ...header })).toString('base64url');
      const [, p, s] = withB64.split('.');
      expect(() => verifyCompactJwsSync(`${h}.${p}.${s}`, pub('ES256'), 'ES256')).toThrow(JwsError);
    }
  });

  it('refuses an RSA key shorter than 2048 bits, as jose does', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => signCompactJwsSync({ alg: 'RS256' }, {}, privateKey, 'RS256')).toThrow(JwsError);
    const h = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
    expect(() => verifyCompactJwsSync(`${h}.e30.AAAA`, publicKey, 'RS256')).toThrow(JwsError);
  });

  it('accepts a KeyObject made from a JWK', async () => {
    const jwk = await exportJWK(pairs.EdDSA.publicKey);
    const { createPublicKey } = await import('node:crypto');
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(verifyCompactJwsSync(await joseJwt('EdDSA'), key, 'EdDSA').header.alg).toBe('EdDSA');
  });
});

describe('decodeCompactJwt', () => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (header: unknown, payload: unknown, signature = 'c2ln') =>
    `${part(header)}.${part(payload)}.${signature}`;

  it('reads the header and claims jose reads, without verifying anything', async () => {
    const signed = await joseJwt('ES256', { typ: 'dpop+jwt' });
    expect(decodeCompactJwt(signed)).toEqual({
      header: { alg: 'ES256', kid: 'k1', typ: 'dpop+jwt' },
      payload: { sub: 'alice', n: 1 },
      parts: signed.split('.'),
    });
    // crit is the signature check's business (verifyCompactJwsSync), as with jose's decodeJwt.
    expect(decodeCompactJwt(jwt({ alg: 'ES256', crit: ['x'] }, { a: 1 })).header.crit).toEqual(['x']);
  });

  it('is verified as it is, with the checks of a JWT given as text: crit, alg, signature', async () => {
    const signed = await joseJwt('ES256');
    const fromText = verifyCompactJwsSync(signed, pub('ES256'), 'ES256');
    expect(verifyCompactJwsSync(decodeCompactJwt(signed), pub('ES256'), 'ES256')).toEqual(fromText);
    // Signed over its own header, so that only crit can refuse it.
    const input = `${part({ alg: 'ES256', crit: ['exp'], exp: 1 })}.${part({ sub: 'alice' })}`;
    const signature = sign('sha256', Buffer.from(input), { key: priv('ES256'), dsaEncoding: 'ieee-p1363' });
    const unknownCrit = `${input}.${signature.toString('base64url')}`;
    for (const refused of [unknownCrit, tamper(signed, 1), tamper(signed, 2)]) {
      expect(() => verifyCompactJwsSync(decodeCompactJwt(refused), pub('ES256'), 'ES256')).toThrow(JwsError);
    }
    expect(() => verifyCompactJwsSync(decodeCompactJwt(signed), pub('ES256'), 'PS256')).toThrow(JwsError);
    expect(() => verifyCompactJwsSync(decodeCompactJwt(signed), other.ES256, 'ES256')).toThrow(JwsError);
  });

  it('throws a JwsError for anything that is not a compact JWS of two JSON objects', () => {
    const bad: unknown[] = [
      42,
      'a.b',
      'a.b.c.d.e',
      jwt({ alg: 'ES256' }, [1, 2]),
      jwt({ alg: 'ES256' }, 'claims'),
      jwt({ alg: 'ES256' }, null),
      jwt(['ES256'], { a: 1 }),
      `${part({ alg: 'ES256' })}.${part({ a: 1 })}=.c2ln`,
      `${part({ alg: 'ES256' })}. ${part({ a: 1 })}.c2ln`,
      `${part({ alg: 'ES256' })}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.c2ln`,
      `${part({ alg: 'ES256' })}.${Buffer.from('{"a":').toString('base64url')}.c2ln`,
    ];
    for (const input of bad) {
      expect(() => decodeCompactJwt(input as string), String(input)).toThrow(JwsError);
    }
  });
});

describe('decodeBase64urlStrict', () => {
  it('decodes canonical unpadded base64url only', () => {
    expect(decodeBase64urlStrict('', 'x')).toEqual(Buffer.alloc(0));
    expect(decodeBase64urlStrict('_-8', 'x')).toEqual(Buffer.from([0xff, 0xef]));
    expect(decodeBase64urlStrict('QQ', 'x').toString()).toBe('A');
    for (const bad of ['QR', 'QUF', 'QUG', 'Q', 'QQ==', 'Q Q', '+/8', 'QUFB\n', 'é']) {
      expect(() => decodeBase64urlStrict(bad, 'x')).toThrow(JwsError);
    }
    expect(decodeBase64urlStrict('QUE', 'x').toString()).toBe('AA');
  });
});

describe('keyObjectOf', () => {
  it('gives the KeyObject of a CryptoKey used for its own algorithm and usage only, as jose checks', async () => {
    expect(keyObjectOf(pairs.ES256.publicKey, 'ES256', 'verify')).toBe(pub('ES256'));
    expect(keyObjectOf(pairs.PS256.privateKey, 'PS256', 'sign').type).toBe('private');
    const rs = await generateKeyPair('RS256');
    for (const [key, alg, usage] of [
      [pairs.PS256.publicKey, 'RS256', 'verify'],
      [rs.publicKey, 'PS256', 'verify'],
      [pairs.ES256.publicKey, 'EdDSA', 'verify'],
      [pairs.ES256.privateKey, 'ES256', 'verify'],
      [pairs.ES256.publicKey, 'ES256', 'sign'],
      [pairs.ES256.publicKey, 'HS256', 'verify'],
      [pub('ES256'), 'ES256', 'verify'],
    ] as const) {
      expect(() => keyObjectOf(key as CryptoKey, alg, usage)).toThrow(JwsError);
    }
  });
});
