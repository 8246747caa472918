import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectErrorPage, expectOAuthError, send } from '../../support/musts-helpers';

/**
 * Discovery (OpenID Connect Discovery 1.0 §3, RFC 8414 §2, FAPI 2.0 SP §5.3.2.1): the metadata is
 * published, and it advertises exactly what the endpoints enforce.
 */
describe('MUST: discovery advertises what is enforced', () => {
  let lab: MustsLab;
  let metadata: Record<string, unknown>;

  beforeAll(async () => {
    lab = await MustsLab.start();
    const response = await lab.get('/.well-known/openid-configuration');
    expect(response.status).toBe(200);
    metadata = response.json as Record<string, unknown>;
  });
  afterAll(() => lab?.close());

  it('names the issuer exactly, and serves the same document under RFC 8414', async () => {
    expect(metadata.issuer).toBe(lab.issuer);
    const oauth = await lab.get('/.well-known/oauth-authorization-server');
    expect(oauth.status).toBe(200);
    expect(oauth.json).toEqual(metadata);
  });

  it('advertises every endpoint the checklist names, each on this issuer', () => {
    for (const name of [
      'authorization_endpoint',
      'token_endpoint',
      'pushed_authorization_request_endpoint',
      'userinfo_endpoint',
      'introspection_endpoint',
      'revocation_endpoint',
      'end_session_endpoint',
      'jwks_uri',
    ]) {
      expect(typeof metadata[name], name).toBe('string');
      expect(new URL(metadata[name] as string).origin, name).toBe(lab.issuer);
    }
  });

  it('every advertised POST endpoint answers an empty POST with an OAuth 4xx, not a 404', async () => {
    for (const name of [
      'token_endpoint',
      'pushed_authorization_request_endpoint',
      'introspection_endpoint',
      'revocation_endpoint',
    ]) {
      const response = await send(metadata[name] as string, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(response.status, name).toBeGreaterThanOrEqual(400);
      expect(response.status, name).not.toBe(404);
      expect(typeof response.json?.error, name).toBe('string');
      expect(response.json?.error, name).not.toBe('not_found');
    }
  });

  it('names the media types: JSON for the metadata, a JWK Set for the keys (RFC 7517 §8.5.1), both UTF-8', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const response = await fetch(`${lab.issuer}${path}`);
      expect(response.headers.get('content-type'), path).toBe('application/json; charset=utf-8');
      expect(response.headers.get('cache-control'), path).toBe('public, max-age=60');
      const body = await response.text();
      expect(response.headers.get('content-length'), path).toBe(String(Buffer.byteLength(body)));
    }
    const jwks = await fetch(metadata.jwks_uri as string);
    expect(jwks.headers.get('content-type')).toBe('application/jwk-set+json; charset=utf-8');
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=60');
    // HEAD: the same headers, no body.
    const head = await fetch(metadata.jwks_uri as string, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/jwk-set+json; charset=utf-8');
    expect(await head.text()).toBe('');
  });

  it('the GET endpoints answer: jwks, userinfo (401 without a token), authorize and end_session pages', async () => {
    const jwks = await send(metadata.jwks_uri as string);
    expect(jwks.status).toBe(200);
    const keys = (jwks.json?.keys ?? []) as Record<string, unknown>[];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key.kid).toEqual(expect.any(String));
      // Public keys only.
      expect(key).not.toHaveProperty('d');
    }
    const userinfo = await send(metadata.userinfo_endpoint as string);
    expect(userinfo.status).toBe(401);
    expectErrorPage(await send(metadata.authorization_endpoint as string), 'invalid_request');
    const endSession = await send(metadata.end_session_endpoint as string);
    expect(endSession.status).toBe(200);
  });

  it('response_types_supported is ["code"], and response_type=token is refused', async () => {
    expect(metadata.response_types_supported).toEqual(['code']);
    const { params } = await lab.fapiParams({ response_type: 'token' });
    expectOAuthError(await lab.par(params), 400, 'unsupported_response_type');
  });

  it('code_challenge_methods_supported is ["S256"], and plain is refused', async () => {
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    const { params } = await lab.fapiParams({ code_challenge_method: 'plain' });
    expectOAuthError(await lab.par(params), 400, 'invalid_request');
  });

  it('advertises RFC 9207 iss support and PAR required (the server setting is on)', () => {
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.require_pushed_authorization_requests).toBe(true);
  });

  it('advertises private_key_jwt, and only strong algorithms (no none, no HMAC)', () => {
    expect(metadata.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    for (const name of [
      'id_token_signing_alg_values_supported',
      'token_endpoint_auth_signing_alg_values_supported',
      'dpop_signing_alg_values_supported',
    ]) {
      const algs = metadata[name] as string[];
      expect(Array.isArray(algs), name).toBe(true);
      expect(algs.length, name).toBeGreaterThan(0);
      for (const alg of algs) {
        expect(alg, name).not.toBe('none');
        expect(alg, name).not.toMatch(/^HS/);
      }
    }
  });

  it('dpop_signing_alg_values_supported lists only FAPI algorithms (no none, HS, RS)', async () => {
    const algs = metadata.dpop_signing_alg_values_supported as string[];
    expect(algs.length).toBeGreaterThan(0);
    for (const alg of algs) expect(['PS256', 'ES256', 'EdDSA']).toContain(alg);
  });
  it('serves the JWKS as rotation changes it: the new next key at once, a retired key until its grace ends', async () => {
    // A lab of its own: the rotation must not change the keys the other tests see.
    const rotating = await MustsLab.start();
    try {
      const served = async (): Promise<string[]> => {
        const response = await fetch(`${rotating.issuer}/jwks`);
        const { keys } = (await response.json()) as { keys: { kid: string }[] };
        return keys.map((k) => k.kid).sort();
      };
      const before = await served();
      expect(await served()).toEqual(before);
      await rotating.server.rotateKeys();
      const after = await served();
      // The keys retired by the rotation stay published through the grace (signing_key_grace, 1 day).
      expect(after).toEqual(expect.arrayContaining(before));
      expect(after.length).toBeGreaterThan(before.length);
      rotating.clock.advance(86_400 + 1);
      const later = await served();
      expect(later.length).toBeLessThan(after.length);
      expect(after).toEqual(expect.arrayContaining(later));
    } finally {
      await rotating.close();
    }
  });
});
