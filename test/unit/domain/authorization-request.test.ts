import { describe, expect, it } from 'vitest';
import {
  validateAuthorizationParameters,
  validateRedirectUri,
} from '../../../src/server/domain/authorization-request';
import type { Client } from '../../../src/server/domain/client';
import { withCheckObserver, type CheckResult } from '../../../src/server/domain/check';
import { configuredClient } from '../../support/fakes';

const client: Client = configuredClient({
  client_id: 'c1',
  client_secret: 'a-secret-of-sixteen-chars',
  redirect_uris: ['https://rp.example.com/cb'],
  scope: 'openid profile offline_access',
});

const valid = {
  client_id: 'c1',
  redirect_uri: 'https://rp.example.com/cb',
  response_type: 'code',
  scope: 'openid profile',
  state: 's'.repeat(64),
  nonce: 'n'.repeat(64),
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
};

const errorOf = (params: Record<string, string>) => {
  try {
    validateAuthorizationParameters(client, params);
  } catch (e) {
    return e as { error: string; redirectable: boolean };
  }
  throw new Error('expected the request to be refused');
};

describe('authorization request validation', () => {
  it('accepts a complete request and keeps state and nonce exactly (64+ characters)', () => {
    const request = validateAuthorizationParameters(client, valid);
    expect(request).toMatchObject({ state: valid.state, nonce: valid.nonce, scope: ['openid', 'profile'] });
  });

  it('checks redirect_uri first, and its errors are never redirected (RFC 6749 §4.1.2.1)', () => {
    const e = errorOf({ ...valid, redirect_uri: 'https://evil.example/cb', response_type: 'token' });
    expect(e).toMatchObject({ error: 'invalid_request', redirectable: false });
    expect(() => validateRedirectUri(client, { client_id: 'c1' })).toThrow(/redirect_uri is required/);
  });

  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ response_type: 'code id_token' }, 'unsupported_response_type'],
    [{ scope: 'openid admin' }, 'invalid_scope'],
    [{ scope: 'openid email' }, 'invalid_scope'],
    [{ prompt: 'none login' }, 'invalid_request'],
    [{ prompt: 'bogus' }, 'invalid_request'],
    [{ max_age: '-1' }, 'invalid_request'],
    [{ response_mode: 'fragment' }, 'invalid_request'],
    [{ dpop_jkt: 'short' }, 'invalid_request'],
    [{ request: 'eyJ...' }, 'request_not_supported'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
  ])('refuses %o with %s, sent to the redirect_uri', (change, error) => {
    expect(errorOf({ ...valid, ...change })).toMatchObject({ error, redirectable: true });
  });

  it('records each check it runs, with its clause', () => {
    const results: CheckResult[] = [];
    withCheckObserver({ record: (r) => results.push(r) }, () =>
      validateAuthorizationParameters(client, valid),
    );
    expect(results.map((r) => r.id)).toEqual(
      expect.arrayContaining(['authorization.redirect_uri.registered', 'authorization.response_type.code']),
    );
    expect(results.every((r) => r.outcome === 'passed' && r.ref.length > 0)).toBe(true);
  });
});
