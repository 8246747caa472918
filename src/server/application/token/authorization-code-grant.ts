import { verify, type CheckSpec } from '../../domain/check';
import type { Client } from '../../domain/client';
import type { AuthorizationCode } from '../../domain/entities';
import { requiresDpop } from '../../domain/fapi-policy';
import { hashHandle } from '../../domain/handles';
import { invalidGrant, invalidRequest } from '../../domain/oauth-error';
import type { Parameters } from '../../domain/parameters';
import { checkPkceVerifier } from '../../domain/pkce';
import { parseScope } from '../../domain/scope';
import type { EndpointRequest } from '../endpoint-request';
import { issueRefreshToken, issueUserTokens } from '../issue-tokens';
import type { ProviderContext } from '../provider-context';
import { verifyTokenRequestProof } from '../token-request-dpop';
import type { TokenResponse } from './token-response';

const checks = {
  codePresent: { id: 'code.present', description: 'code is present', ref: 'RFC 6749 §4.1.3' },
  codeKnown: {
    id: 'code.known',
    description: 'The authorization code was issued by this server',
    ref: 'RFC 6749 §4.1.3',
  },
  codeNotUsed: {
    id: 'code.single_use',
    description: 'The code has not been used before (a reuse revokes what the first use issued)',
    ref: 'RFC 6749 §4.1.2, §10.5',
  },
  codeClient: {
    id: 'code.client',
    description: 'The code was issued to the authenticated client',
    ref: 'RFC 6749 §4.1.3',
  },
  codeNotExpired: {
    id: 'code.not_expired',
    description: 'The code has not expired (at most 60 s)',
    ref: 'FAPI 2.0 SP §5.3.2.1; RFC 6749 §4.1.2',
  },
  redirectUri: {
    id: 'code.redirect_uri',
    description: 'redirect_uri is identical to the one of the authorization request',
    ref: 'RFC 6749 §4.1.3',
  },
} satisfies Record<string, CheckSpec>;

export { checks as authorizationCodeChecks };

/** Finds the code and refuses a replay, revoking the tokens the first use issued (RFC 6749 §4.1.2). */
function findUnusedCode(ctx: ProviderContext, code: string): AuthorizationCode {
  const stored = ctx.repositories.authorizationCodes.find(hashHandle(code));
  verify(checks.codeKnown, stored !== undefined, () => invalidGrant('the authorization code is invalid'));
  if (stored.consumedAt !== undefined) ctx.repositories.grants.revoke(stored.grantId, ctx.clock.now());
  verify(checks.codeNotUsed, stored.consumedAt === undefined, () =>
    invalidGrant('the authorization code was already used; the tokens it issued are revoked'),
  );
  return stored;
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.6 (PKCE) and RFC 9449 §5, §10 (DPoP). */
export function authorizationCodeGrant(
  ctx: ProviderContext,
  request: EndpointRequest,
  client: Client,
  params: Parameters,
): TokenResponse {
  verify(checks.codePresent, params.code !== undefined, () => invalidRequest('code is required', false));
  const code = findUnusedCode(ctx, params.code);
  verify(checks.codeClient, code.clientId === client.client_id, () =>
    invalidGrant('the authorization code was issued to another client'),
  );
  verify(checks.codeNotExpired, code.expiresAt > ctx.clock.now(), () =>
    invalidGrant('the authorization code has expired'),
  );
  verify(checks.redirectUri, params.redirect_uri === code.redirectUri, () =>
    invalidGrant('redirect_uri does not match the authorization request'),
  );
  checkPkceVerifier(params.code_verifier, code.codeChallenge);

  // RFC 9449 §10: a code bound to a key (dpop_jkt, or the key of the proof sent to PAR) is redeemed
  // with a proof by that key: the proof's `dpop.jkt` check compares the two.
  const proof = verifyTokenRequestProof(ctx, request, client, {
    required: requiresDpop(client) || code.dpopJkt !== undefined,
    expectedJkt: code.dpopJkt,
  });

  // Atomic: of two concurrent redemptions exactly one wins; the loser revokes the grant.
  const won = ctx.repositories.authorizationCodes.consume(code.codeHash, ctx.clock.now());
  if (!won) {
    ctx.repositories.grants.revoke(code.grantId, ctx.clock.now());
    verify(checks.codeNotUsed, won, () =>
      invalidGrant('the authorization code was already used; the tokens it issued are revoked'),
    );
  }

  const scopes = parseScope(code.scope);
  const grant = ctx.repositories.grants.find(code.grantId);
  if (!grant || grant.revokedAt !== undefined) throw invalidGrant('the grant was revoked');

  const authentication = { authTime: code.authTime, amr: code.amr, acr: code.acr };
  const tokens = issueUserTokens(ctx, {
    grantId: code.grantId,
    client,
    sub: code.sub,
    scope: code.scope,
    jkt: proof?.jkt,
    nonce: code.nonce,
    ...authentication,
  });
  // OpenID Connect Core §11: a refresh token only when offline_access was granted.
  const refresh_token =
    scopes.includes('offline_access') && client.metadata.grant_types.includes('refresh_token')
      ? issueRefreshToken(ctx, grant, {
          sub: code.sub,
          scope: code.scope,
          // RFC 9449 §5: the key the grant's access tokens are bound to (for a public client, the
          // refresh token itself is bound to it; see refresh-token-grant.ts).
          jkt: proof?.jkt,
          ...authentication,
        })
      : undefined;
  return { ...tokens, scope: code.scope, refresh_token };
}
