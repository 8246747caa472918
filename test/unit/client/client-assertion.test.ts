import { compactVerify, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientAssertionType, createClientAssertion } from '../../../src/client/client-assertion';
import { applyClientAuthentication } from '../../../src/client/client-authentication';
import { ClientClock } from '../../../src/client/clock';
import { decodeJwt } from '../../../src/client/jwt-inspect';

async function clientKey(alg: 'ES256' | 'PS256' | 'EdDSA') {
  const pair = await generateKeyPair(alg === 'EdDSA' ? 'Ed25519' : alg, { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(pair.privateKey)), kid: `k-${alg}`, alg };
  return { privateJwk, publicKey: pair.publicKey };
}

describe('client assertions (RFC 7523 §3)', () => {
  it.each(['ES256', 'PS256', 'EdDSA'] as const)(
    'carry iss = sub = client_id, aud, exp, iat, jti (%s)',
    async (alg) => {
      const { privateJwk, publicKey } = await clientKey(alg);
      const jwt = await createClientAssertion({
        clientId: 'fapi-client',
        audience: 'https://op.example',
        privateJwk,
        now: 1_700_000_000,
      });
      await expect(compactVerify(jwt, publicKey)).resolves.toBeDefined();
      const { header, payload } = decodeJwt(jwt);
      expect(header).toEqual({ alg, typ: 'JWT', kid: `k-${alg}` });
      expect(payload.iss).toBe('fapi-client');
      expect(payload.sub).toBe('fapi-client');
      // FAPI 2.0 SP §5.3.2.1: a single string, the issuer.
      expect(payload.aud).toBe('https://op.example');
      expect(payload.iat).toBe(1_700_000_000);
      expect(payload.exp).toBe(1_700_000_060);
      expect(typeof payload.jti).toBe('string');
    },
  );

  it('never reuses a jti and follows the client clock', async () => {
    const { privateJwk } = await clientKey('ES256');
    const clock = new ClientClock(-30_000, () => 2_000_000_000_000);
    const options = { clientId: 'c', audience: 'https://op.example', privateJwk, clock, lifetimeSeconds: 30 };
    const a = decodeJwt(await createClientAssertion(options)).payload;
    const b = decodeJwt(await createClientAssertion(options)).payload;
    expect(a.jti).not.toBe(b.jti);
    expect(a.iat).toBe(1_999_999_970);
    expect(a.exp).toBe(2_000_000_000);
  });

  it('lets scenarios forge an array aud or drop exp', async () => {
    const { privateJwk } = await clientKey('ES256');
    const jwt = await createClientAssertion({
      clientId: 'c',
      audience: 'https://op.example',
      privateJwk,
      payloadOverrides: { aud: ['https://op.example', 'https://op.example/token'], exp: undefined },
    });
    const { payload } = decodeJwt(jwt);
    expect(payload.aud).toEqual(['https://op.example', 'https://op.example/token']);
    expect(payload).not.toHaveProperty('exp');
  });

  it('refuses to sign without a key or an alg', async () => {
    await expect(createClientAssertion({ clientId: 'c', audience: 'a' })).rejects.toThrow(
      /privateJwk or key/,
    );
    const { privateJwk } = await clientKey('ES256');
    const { alg: _alg, ...withoutAlg } = privateJwk;
    await expect(
      createClientAssertion({ clientId: 'c', audience: 'a', privateJwk: withoutAlg }),
    ).rejects.toThrow(/alg/);
  });
});

describe('client authentication', () => {
  const context = { clientId: 'my client', issuer: 'https://op.example' };

  it('client_secret_basic form-encodes id and secret into the Basic header (RFC 6749 §2.3.1)', async () => {
    const body = new URLSearchParams({ grant_type: 'authorization_code' });
    const headers: Record<string, string> = {};
    await applyClientAuthentication(
      { method: 'client_secret_basic', client_secret: 'p@ss:w rd' },
      { body, headers },
      context,
    );
    const decoded = atob(headers.Authorization!.replace(/^Basic /, ''));
    expect(decoded).toBe('my+client:p%40ss%3Aw+rd');
    expect(body.has('client_secret')).toBe(false);
  });

  it('client_secret_post puts id and secret in the body, no header', async () => {
    const body = new URLSearchParams();
    const headers: Record<string, string> = {};
    await applyClientAuthentication(
      { method: 'client_secret_post', client_secret: 's3cret' },
      { body, headers },
      context,
    );
    expect(body.get('client_id')).toBe('my client');
    expect(body.get('client_secret')).toBe('s3cret');
    expect(headers).toEqual({});
  });

  it('private_key_jwt adds the assertion, its type and client_id, and never a secret', async () => {
    const { privateJwk, publicKey } = await clientKey('PS256');
    const other = await clientKey('ES256');
    const body = new URLSearchParams();
    const headers: Record<string, string> = {};
    await applyClientAuthentication(
      { method: 'private_key_jwt', private_jwks: [other.privateJwk, privateJwk], alg: 'PS256' },
      { body, headers },
      context,
    );
    expect(body.get('client_assertion_type')).toBe(clientAssertionType);
    expect(body.get('client_id')).toBe('my client');
    expect(body.has('client_secret')).toBe(false);
    const assertion = body.get('client_assertion')!;
    // The key matching the requested alg signed it.
    await expect(compactVerify(assertion, publicKey)).resolves.toBeDefined();
    expect(decodeJwt(assertion).payload.aud).toBe('https://op.example');
  });

  it('none sends only client_id', async () => {
    const body = new URLSearchParams();
    const headers: Record<string, string> = {};
    await applyClientAuthentication({ method: 'none' }, { body, headers }, context);
    expect([...body.keys()]).toEqual(['client_id']);
    expect(headers).toEqual({});
  });
});
