import { describe, expect, it } from 'vitest';
import type { LabClientInfo } from '../../../src/common/lab-api';
import { nextStep, stepsFor } from '../../../src/renderer/flow/flow-steps';
import {
  callbackUri,
  clientAuthenticationFor,
  receivesCallback,
  registrableCallback,
  demoClientConfigFor,
  resourceUrl,
} from '../../../src/renderer/flow/demo-client-config';
import { isCallbackMessage, CALLBACK_MESSAGE_TYPE } from '../../../src/renderer/flow/callback-channel';
import { noteFor } from '../../../src/renderer/flow/param-glossary';

const standard: LabClientInfo = {
  client_id: 'demo-standard',
  profile: 'oidc',
  token_endpoint_auth_method: 'client_secret_post',
  redirect_uris: ['http://127.0.0.1/callback'],
  post_logout_redirect_uris: ['http://127.0.0.1:5000/callback'],
  scope: 'openid profile offline_access accounts',
  grant_types: ['authorization_code', 'refresh_token'],
  dpop_bound_access_tokens: false,
  require_pushed_authorization_requests: false,
  client_secret: 'demo-secret-demo-secret',
};
const fapi: LabClientInfo = {
  ...standard,
  client_id: 'demo-fapi',
  profile: 'fapi2',
  token_endpoint_auth_method: 'private_key_jwt',
  dpop_bound_access_tokens: true,
  require_pushed_authorization_requests: true,
  client_secret: undefined,
  private_jwks: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd', kid: 'k' }],
};

describe('flow steps', () => {
  it('lists the standard flow without PAR, each step with a clause', () => {
    const steps = stepsFor(standard);
    expect(steps.map((s) => s.id)).toEqual([
      'discover',
      'authorize',
      'token',
      'userinfo',
      'resource',
      'refresh',
      'introspect',
      'revoke',
      'logout',
    ]);
    for (const s of steps) expect(s.ref).toMatch(/RFC|OpenID/);
    expect(steps.find((s) => s.id === 'token')?.ref).not.toContain('9449');
  });

  it('gives a client_credentials-only client its own flow: no user, no PAR, no refresh', () => {
    const service: LabClientInfo = {
      ...fapi,
      client_id: 'demo-service',
      grant_types: ['client_credentials'],
    };
    const steps = stepsFor(service);
    expect(steps.map((s) => s.id)).toEqual([
      'discover',
      'client_credentials',
      'resource',
      'introspect',
      'revoke',
    ]);
    expect(steps.find((s) => s.id === 'client_credentials')?.ref).toBe('RFC 6749 §4.4, RFC 9449 §5');
    expect(steps.find((s) => s.id === 'revoke')?.title).toBe('Revoke the access token');
    // A client that may also run the code flow keeps the code flow.
    expect(stepsFor({ ...fapi, grant_types: ['authorization_code', 'client_credentials'] })[1]?.id).toBe(
      'par',
    );
  });

  it('knows whether the lab can receive a client’s authorization response (loopback: any port)', () => {
    const lab = 'http://127.0.0.1:5000';
    expect(receivesCallback(standard, lab)).toBe(true);
    expect(receivesCallback({ ...standard, redirect_uris: ['http://127.0.0.1:5000/callback'] }, lab)).toBe(
      true,
    );
    expect(
      receivesCallback({ ...standard, redirect_uris: ['http://[::1]/callback'] }, 'http://[::1]:7'),
    ).toBe(true);
    expect(receivesCallback({ ...standard, redirect_uris: ['https://app.example/cb'] }, lab)).toBe(false);
    expect(receivesCallback({ ...standard, redirect_uris: ['http://127.0.0.1/callback/'] }, lab)).toBe(false);
    expect(receivesCallback({ ...standard, redirect_uris: ['http://localhost/callback'] }, lab)).toBe(false);
    expect(
      receivesCallback({ ...standard, redirect_uris: [], grant_types: ['client_credentials'] }, lab),
    ).toBe(true);
    expect(registrableCallback(lab)).toBe('http://127.0.0.1/callback');
    expect(registrableCallback('http://[::1]:7')).toBe('http://[::1]/callback');
  });

  it('leaves out the steps a client cannot take: no refresh without offline_access, no introspection for a public client, no userinfo or logout without openid, no resource call without its scope', () => {
    const ids = (client: LabClientInfo) => stepsFor(client).map((s) => s.id);
    expect(ids({ ...standard, scope: 'openid profile' })).not.toContain('refresh');
    expect(ids({ ...standard, grant_types: ['authorization_code'] })).not.toContain('refresh');
    expect(stepsFor({ ...standard, scope: 'openid' }).find((s) => s.id === 'revoke')?.title).toBe(
      'Revoke the access token',
    );
    const publicClient = ids({ ...standard, token_endpoint_auth_method: 'none', client_secret: undefined });
    expect(publicClient).not.toContain('introspect');
    expect(publicClient).toContain('revoke');
    expect(ids({ ...standard, scope: 'openid offline_access' })).not.toContain('resource');
    expect(ids({ ...standard, scope: 'accounts offline_access' })).toEqual([
      'discover',
      'authorize',
      'token',
      'resource',
      'refresh',
      'introspect',
      'revoke',
    ]);
  });

  it('adds PAR and DPoP to the FAPI 2.0 flow', () => {
    const steps = stepsFor(fapi);
    expect(steps[1]?.id).toBe('par');
    expect(steps[1]?.ref).toContain('RFC 9126');
    expect(steps.find((s) => s.id === 'token')?.ref).toContain('RFC 9449');
    expect(steps.find((s) => s.id === 'token')?.explanation).toContain('private_key_jwt');
  });

  it('runs next the first step that is not done (a failed one is retried)', () => {
    const steps = stepsFor(standard);
    expect(nextStep(steps, {})?.id).toBe('discover');
    expect(nextStep(steps, { discover: 'done', authorize: 'failed' })?.id).toBe('authorize');
    expect(nextStep(steps, Object.fromEntries(steps.map((s) => [s.id, 'done'])))).toBeUndefined();
  });
});

describe('demo client configuration', () => {
  it('uses the lab callback as redirect_uri and the client secret for the standard client', () => {
    const config = demoClientConfigFor(standard, 'http://127.0.0.1:4000', 'http://127.0.0.1:5000');
    expect(config).toMatchObject({
      issuer: 'http://127.0.0.1:4000',
      client_id: 'demo-standard',
      redirect_uri: 'http://127.0.0.1:5000/callback',
      post_logout_redirect_uri: 'http://127.0.0.1:5000/callback',
      mode: 'standard',
      usePar: false,
      useDpop: false,
      auth: { method: 'client_secret_post', client_secret: 'demo-secret-demo-secret' },
    });
    expect(callbackUri('http://x:1/')).toBe('http://x:1/callback');
    expect(resourceUrl('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000/api/accounts');
  });

  it('uses private_key_jwt, PAR and DPoP for the FAPI client', () => {
    const config = demoClientConfigFor(fapi, 'http://as', 'http://lab');
    expect(config).toMatchObject({ mode: 'fapi2', usePar: true, useDpop: true });
    expect(clientAuthenticationFor(fapi)).toEqual({
      method: 'private_key_jwt',
      private_jwks: fapi.private_jwks,
    });
    // No post-logout URI registered for this lab origin: none is sent.
    expect(config.post_logout_redirect_uri).toBeUndefined();
    expect(clientAuthenticationFor({ ...standard, token_endpoint_auth_method: 'none' })).toEqual({
      method: 'none',
    });
  });
});

describe('callback message and parameter notes', () => {
  it('accepts only well-formed callback messages', () => {
    expect(isCallbackMessage({ type: CALLBACK_MESSAGE_TYPE, url: 'http://lab/callback?code=x' })).toBe(true);
    expect(isCallbackMessage({ type: 'other', url: 'x' })).toBe(false);
    expect(isCallbackMessage({ type: CALLBACK_MESSAGE_TYPE })).toBe(false);
    expect(isCallbackMessage(null)).toBe(false);
  });

  it('annotates request parameters and headers, case-insensitively', () => {
    expect(noteFor('code_challenge_method')).toContain('S256');
    expect(noteFor('DPoP')).toContain('RFC 9449');
    expect(noteFor('dpop_jkt')).toContain('RFC 9449 §10');
    expect(noteFor('hasOwnProperty')).toBeUndefined();
  });
});
