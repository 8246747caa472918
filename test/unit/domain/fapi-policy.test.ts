import { describe, expect, it } from 'vitest';
import { serverSettingsSchema } from '../../../src/server/config/lab-config-schema';
import type { Client } from '../../../src/server/domain/client';
import {
  allowedAuthMethods,
  allowedSigningAlgs,
  dpopAlgorithms,
  maxAuthorizationCodeLifetime,
  refreshTokenRotation,
  requiresDpop,
  requiresPushedAuthorizationRequest,
} from '../../../src/server/domain/fapi-policy';

const settings = serverSettingsSchema.parse({});

function client(profile: 'oidc' | 'fapi2', metadata: Partial<Client['metadata']> = {}): Client {
  return {
    client_id: 'c',
    profile,
    allowedScopes: new Set(['openid']),
    metadata: {
      client_id: 'c',
      redirect_uris: ['https://rp.example.com/cb'],
      post_logout_redirect_uris: [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'openid',
      token_endpoint_auth_method: profile === 'fapi2' ? 'private_key_jwt' : 'client_secret_basic',
      require_pushed_authorization_requests: false,
      dpop_bound_access_tokens: false,
      application_type: 'web',
      profile,
      ...metadata,
    },
  };
}

describe('fapi-policy', () => {
  it('allows PS256, ES256, EdDSA under fapi2 and adds RS256 under oidc only', () => {
    expect([...allowedSigningAlgs(client('fapi2'))]).toEqual(['PS256', 'ES256', 'EdDSA']);
    expect(allowedSigningAlgs(client('fapi2'))).not.toContain('RS256');
    expect(allowedSigningAlgs(client('oidc'))).toContain('RS256');
  });

  it('advertises only strong DPoP algorithms', () => {
    expect([...dpopAlgorithms]).toEqual(['PS256', 'ES256', 'EdDSA']);
  });

  it('requires PAR by server setting, client metadata or the fapi2 profile', () => {
    expect(requiresPushedAuthorizationRequest(client('oidc'), settings)).toBe(false);
    expect(
      requiresPushedAuthorizationRequest(client('oidc'), {
        ...settings,
        require_pushed_authorization_requests: true,
      }),
    ).toBe(true);
    expect(
      requiresPushedAuthorizationRequest(
        client('oidc', { require_pushed_authorization_requests: true }),
        settings,
      ),
    ).toBe(true);
    expect(requiresPushedAuthorizationRequest(client('fapi2'), settings)).toBe(true);
  });

  it('requires DPoP for dpop_bound_access_tokens clients and fapi2 clients', () => {
    expect(requiresDpop(client('oidc'))).toBe(false);
    expect(requiresDpop(client('oidc', { dpop_bound_access_tokens: true }))).toBe(true);
    expect(requiresDpop(client('fapi2'))).toBe(true);
  });

  it('allows only private_key_jwt under fapi2', () => {
    expect([...allowedAuthMethods(client('fapi2'))]).toEqual(['private_key_jwt']);
    expect(allowedAuthMethods(client('oidc'))).toContain('client_secret_basic');
    expect(allowedAuthMethods(client('oidc'))).toContain('client_secret_post');
  });

  it('caps the authorization code lifetime at 60 s under fapi2', () => {
    const long = { ...settings, authorization_code_lifetime: 90 };
    expect(maxAuthorizationCodeLifetime(client('fapi2'), long)).toBe(60);
    expect(
      maxAuthorizationCodeLifetime(client('fapi2'), { ...settings, authorization_code_lifetime: 30 }),
    ).toBe(30);
    expect(maxAuthorizationCodeLifetime(client('oidc'), long)).toBe(90);
  });

  it('does not rotate refresh tokens unless the lab option is on, then with its grace', () => {
    expect(refreshTokenRotation(client('fapi2'), settings)).toEqual({ rotate: false, graceSeconds: 0 });
    expect(
      refreshTokenRotation(client('fapi2'), {
        ...settings,
        refresh_token_rotation: true,
        refresh_token_rotation_grace: 15,
      }),
    ).toEqual({ rotate: true, graceSeconds: 15 });
  });
});
