import { describe, expect, it } from 'vitest';
import type { ProviderContext } from '../../../src/server/application/provider-context';
import { authorizationCodeGrant } from '../../../src/server/application/token/authorization-code-grant';
import { withCheckObserver, type CheckResult } from '../../../src/server/domain/check';
import type { Client } from '../../../src/server/domain/client';
import type { AuthorizationCode } from '../../../src/server/domain/entities';
import { hashHandle } from '../../../src/server/domain/handles';
import { OAuthError } from '../../../src/server/domain/oauth-error';
import { configuredClient, FakeClock } from '../../support/fakes';

const client: Client = configuredClient({
  client_id: 'c1',
  client_secret: 'a-secret-of-sixteen-chars',
  redirect_uris: ['https://rp.example.com/cb'],
  scope: 'openid',
});

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * The code grant's repositories in states that requests cannot bring about in one process (the token
 * handler runs without a pause, and a grant is made with its code): `find` still sees the code unused
 * but another redemption has consumed it (`consumedMeanwhile`: `consume` answers false); or the
 * code's grant is revoked already (`grantRevoked`).
 */
function contextWhere(clock: FakeClock, state: { consumedMeanwhile: boolean; grantRevoked: boolean }) {
  const code: AuthorizationCode = {
    codeHash: hashHandle('the-code'),
    grantId: 'grant-1',
    clientId: client.client_id,
    sub: 'alice',
    redirectUri: 'https://rp.example.com/cb',
    codeChallenge: CHALLENGE,
    codeChallengeMethod: 'S256',
    scope: 'openid',
    authTime: Math.floor(clock.now() / 1000),
    authTimeRequired: false,
    createdAt: clock.now(),
    expiresAt: clock.now() + 60_000,
  };
  const revoked: string[] = [];
  const ctx = {
    clock,
    settings: { dpop_proof_max_age: 60 },
    repositories: {
      authorizationCodes: {
        find: (hash: string) => (hash === code.codeHash ? code : undefined),
        consume: () => !state.consumedMeanwhile,
      },
      grants: {
        revoke: (grantId: string) => void revoked.push(grantId),
        find: (grantId: string) => {
          if (!state.grantRevoked) throw new Error('a lost race must not read the grant');
          return { id: grantId, revokedAt: clock.now() };
        },
      },
    },
  } as unknown as ProviderContext;
  return { ctx, revoked };
}

const tokenRequest = {
  method: 'POST',
  url: 'http://127.0.0.1:4000/token',
  headers: {},
  body: {},
};

const redeem = (ctx: ProviderContext): { refusal: unknown; checks: CheckResult[] } => {
  const checks: CheckResult[] = [];
  let refusal: unknown;
  withCheckObserver({ record: (result) => void checks.push(result) }, () => {
    try {
      authorizationCodeGrant(ctx, tokenRequest, client, {
        grant_type: 'authorization_code',
        code: 'the-code',
        redirect_uri: 'https://rp.example.com/cb',
        code_verifier: VERIFIER,
      });
    } catch (e) {
      refusal = e;
    }
  });
  return { refusal, checks };
};

describe('authorization code grant', () => {
  it('RFC 6749 §4.1.2: a code consumed by a concurrent redemption is refused and its grant revoked', () => {
    const { ctx, revoked } = contextWhere(new FakeClock(1_800_000_000_000), {
      consumedMeanwhile: true,
      grantRevoked: false,
    });
    const { refusal, checks } = redeem(ctx);
    expect(refusal).toBeInstanceOf(OAuthError);
    expect(refusal).toMatchObject({ error: 'invalid_grant', status: 400 });
    expect((refusal as OAuthError).error_description).toMatch(/already used/);
    expect(revoked).toEqual(['grant-1']);
    expect(checks.at(-1)).toMatchObject({ id: 'code.single_use', outcome: 'failed' });
  });

  it('a code whose grant is revoked issues nothing (invalid_grant)', () => {
    const { ctx } = contextWhere(new FakeClock(1_800_000_000_000), {
      consumedMeanwhile: false,
      grantRevoked: true,
    });
    const { refusal } = redeem(ctx);
    expect(refusal).toBeInstanceOf(OAuthError);
    expect(refusal).toMatchObject({ error: 'invalid_grant', error_description: 'the grant was revoked' });
  });
});
