import { randomUUID } from 'node:crypto';
import {
  validateAuthorizationParameters,
  validateRedirectUri,
  type AuthorizationRequest,
} from '../domain/authorization-request';
import { skipCheck, verify, type CheckSpec } from '../domain/check';
import type { Client } from '../domain/client';
import { epochSeconds } from '../domain/clock';
import type { Interaction, Session } from '../domain/entities';
import { maxAuthorizationCodeLifetime, requiresPushedAuthorizationRequest } from '../domain/fapi-policy';
import { hashHandle, newHandle } from '../domain/handles';
import {
  accessDenied,
  consentRequired,
  invalidRequest,
  isOAuthError,
  loginRequired,
  OAuthError,
} from '../domain/oauth-error';
import type { Parameters } from '../domain/parameters';
import { withQuery } from '../domain/redirect-uri';
import { formatScope } from '../domain/scope';
import { newTimeOrderedId } from '../domain/time-ordered-id';
import type { AuthorizationOutcome, SignedInUser } from './authorization-outcome';
import type { ProviderContext } from './provider-context';
import { consumePushedRequest, findPushedRequest } from './pushed-request-lookup';

/** How long a user may take between the authorization request and the redirect back. */
const INTERACTION_LIFETIME_MS = 10 * 60 * 1000;

const checks = {
  clientIdPresent: {
    id: 'authorization.client_id.present',
    description: 'client_id is present',
    ref: 'RFC 6749 §4.1.1',
  },
  clientKnown: {
    id: 'authorization.client_id.known',
    description: 'client_id names a registered client',
    ref: 'RFC 6749 §4.1.2.1',
  },
  parRequired: {
    id: 'authorization.par_required',
    description: 'The request comes through PAR when the client or server requires it',
    ref: 'RFC 9126 §5, §6; FAPI 2.0 SP §5.3.2.2 (2)',
  },
  sessionFresh: {
    id: 'authorization.max_age',
    description: 'The login session is no older than max_age (or the user logs in again)',
    ref: 'OpenID Connect Core §3.1.2.1 (max_age)',
  },
  consentBySessionUser: {
    id: 'authorization.consent.session_user',
    description: "The consent was given on the page shown to the user the browser's session names",
    ref: 'OpenID Connect Core §3.1.2.4',
  },
  loginHolds: {
    id: 'authorization.login.session_live',
    description:
      'The login made during this interaction still holds: the session it opened is live in this browser',
    ref: 'OpenID Connect RP-Initiated Logout 1.0 §2; OpenID Connect Core §3.1.2.3',
  },
} satisfies Record<string, CheckSpec>;

export { checks as authorizeChecks };

/**
 * Does the login made during this interaction still hold? Only while the browser's live session is
 * the one that login opened (the same user, authenticated at the same time). Once that session has
 * ended — the user logged out (RP-initiated logout ends the End-User's session at the OP), it expired,
 * or another login took its place — the interaction's login no longer speaks for the browser: a
 * consent page left open must not issue a code for it. False when nobody logged in here.
 */
function loginHolds(interaction: Interaction, liveSession: Session | undefined): boolean {
  if (interaction.sub === undefined) return false;
  if (liveSession?.sub === interaction.sub && liveSession.authTime === interaction.authTime) {
    verify(checks.loginHolds, true, () => loginRequired('unreachable'));
    return true;
  }
  skipCheck(
    checks.loginHolds,
    "the session this login opened is no longer the browser's: the user logs in again",
  );
  return false;
}

/** The redirect carrying an authorization response or error, with `iss` (RFC 9207 §2). */
function redirectTo(ctx: ProviderContext, redirectUri: string, params: Record<string, string | undefined>) {
  return { kind: 'redirect', location: withQuery(redirectUri, { ...params, iss: ctx.issuer }) } as const;
}

function errorRedirect(ctx: ProviderContext, redirectUri: string, error: OAuthError, state?: string) {
  return redirectTo(ctx, redirectUri, {
    error: error.error,
    error_description: error.error_description,
    state,
  });
}

/**
 * The authorization endpoint (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2, RFC 9126 §4): validates the
 * request — from PAR or the query — and opens an interaction for login and consent.
 */
export function beginAuthorization(
  ctx: ProviderContext,
  params: Parameters,
  session: Session | undefined,
): AuthorizationOutcome {
  let client: Client;
  try {
    verify(checks.clientIdPresent, params.client_id !== undefined, () =>
      invalidRequest('client_id is required', false),
    );
    const found = ctx.clients.find(params.client_id);
    verify(checks.clientKnown, found !== undefined, () => invalidRequest('client_id is unknown', false));
    client = found;
  } catch (e) {
    if (isOAuthError(e)) return { kind: 'error_page', error: e };
    throw e;
  }

  let requestParams: Parameters = params;
  let requestUriHash: string | undefined;
  let dpopJkt: string | undefined;
  try {
    if (params.request_uri !== undefined) {
      // RFC 9126 §4: the parameters are those pushed; others sent alongside are not used.
      const pushed = findPushedRequest(ctx, client, params.request_uri);
      requestParams = pushed.params;
      requestUriHash = pushed.requestUriHash;
      dpopJkt = pushed.dpopJkt;
    } else {
      validateRedirectUri(client, params);
    }
  } catch (e) {
    if (isOAuthError(e)) return { kind: 'error_page', error: e };
    throw e;
  }

  const redirectUri = requestParams.redirect_uri as string;
  const state = requestParams.state;
  let request: AuthorizationRequest;
  try {
    verify(
      checks.parRequired,
      requestUriHash !== undefined || !requiresPushedAuthorizationRequest(client, ctx.settings),
      () => invalidRequest('this client must use a pushed authorization request (PAR)'),
    );
    request = validateAuthorizationParameters(client, requestParams);
  } catch (e) {
    if (!isOAuthError(e)) throw e;
    return e.redirectable ? errorRedirect(ctx, redirectUri, e, state) : { kind: 'error_page', error: e };
  }

  const now = ctx.clock.now();
  const interaction: Interaction = {
    id: randomUUID(),
    clientId: client.client_id,
    params: requestParams,
    requestUriHash,
    dpopJkt: dpopJkt ?? request.dpop_jkt,
    createdAt: now,
    expiresAt: now + INTERACTION_LIFETIME_MS,
  };
  ctx.repositories.interactions.save(interaction);
  return resumeAuthorization(ctx, interaction, session, request);
}

/** Re-reads an interaction's request (validated when the interaction began). */
export function interactionRequest(ctx: ProviderContext, interaction: Interaction): AuthorizationRequest {
  const client = ctx.clients.find(interaction.clientId);
  if (!client) throw invalidRequest('client_id is unknown', false);
  return validateAuthorizationParameters(client, interaction.params);
}

/**
 * Decides the next step of an interaction: log in, consent, or finish (OpenID Connect Core §3.1.2.3:
 * prompt, max_age and the session decide whether the user must authenticate again).
 */
export function resumeAuthorization(
  ctx: ProviderContext,
  interaction: Interaction,
  session: Session | undefined,
  request: AuthorizationRequest = interactionRequest(ctx, interaction),
): AuthorizationOutcome {
  const now = ctx.clock.now();
  const liveSession =
    session && session.endedAt === undefined && session.expiresAt > now ? session : undefined;
  const loggedInHere = loginHolds(interaction, liveSession);

  let needsLogin = !loggedInHere && (liveSession === undefined || request.prompt.has('login'));
  if (!needsLogin && !loggedInHere && liveSession && request.max_age !== undefined) {
    const fresh = epochSeconds(ctx.clock) - liveSession.authTime <= request.max_age;
    if (fresh) verify(checks.sessionFresh, true, () => loginRequired('unreachable'));
    else {
      skipCheck(checks.sessionFresh, 'the session is older than max_age: the user logs in again');
      needsLogin = true;
    }
  }
  if (needsLogin) {
    if (request.prompt.has('none')) {
      return finishWithError(ctx, interaction, request, loginRequired('the user is not logged in'));
    }
    return { kind: 'login', interactionId: interaction.id };
  }

  // Live, whether the user logged in here (the login holds) or earlier: the session names who and when.
  const { sub, authTime } = liveSession as Session;
  const consented = new Set(ctx.repositories.consents.find(sub, interaction.clientId));
  const missing = request.scope.filter((s) => !consented.has(s));
  if (missing.length > 0 || request.prompt.has('consent')) {
    if (request.prompt.has('none')) {
      return finishWithError(ctx, interaction, request, consentRequired('the user has not consented'));
    }
    return {
      kind: 'consent',
      interactionId: interaction.id,
      scopes: request.scope,
      signedIn: { sub, authTime },
    };
  }
  return issueAuthorizationCode(ctx, interaction, request, sub, authTime, liveSession);
}

function finishWithError(
  ctx: ProviderContext,
  interaction: Interaction,
  request: AuthorizationRequest,
  error: OAuthError,
): AuthorizationOutcome {
  ctx.repositories.interactions.delete(interaction.id);
  return errorRedirect(ctx, request.redirect_uri, error, request.state);
}

/** The user declined (RFC 6749 §4.1.2.1: access_denied at the redirect_uri). */
export function denyAuthorization(ctx: ProviderContext, interaction: Interaction): AuthorizationOutcome {
  const request = interactionRequest(ctx, interaction);
  return finishWithError(ctx, interaction, request, accessDenied('the user declined the request'));
}

/**
 * The consent page's answer speaks for the user it was shown to (`shownTo`, which the page sends back),
 * and only while the browser's live session is still theirs: if another login has taken the session
 * since (another tab), the consent is asked again, of the user the session now names, rather than
 * given in their name (OpenID Connect Core §3.1.2.4: the End-User the OP authenticated consents).
 */
function consentedBySessionUser(session: Session, shownTo: SignedInUser | undefined): boolean {
  if (shownTo?.sub === session.sub && shownTo.authTime === session.authTime) {
    verify(checks.consentBySessionUser, true, () => loginRequired('unreachable'));
    return true;
  }
  skipCheck(
    checks.consentBySessionUser,
    "another login has taken the browser's session since the consent page was shown: consent is asked again",
  );
  return false;
}

/** Records consent given on the consent page, then finishes the authorization. */
export function grantConsent(
  ctx: ProviderContext,
  interaction: Interaction,
  session: Session | undefined,
  shownTo: SignedInUser | undefined,
): AuthorizationOutcome {
  const request = interactionRequest(ctx, interaction);
  // The consent page was shown to the user who logged in here, or, with no login here, to the
  // session's user: the browser's live session must still be theirs.
  const holds = interaction.sub === undefined || loginHolds(interaction, session);
  if (!holds || session === undefined) return { kind: 'login', interactionId: interaction.id };
  if (!consentedBySessionUser(session, shownTo)) {
    const signedIn = { sub: session.sub, authTime: session.authTime };
    return { kind: 'consent', interactionId: interaction.id, scopes: request.scope, signedIn };
  }
  ctx.repositories.consents.grant(session.sub, interaction.clientId, request.scope, ctx.clock.now());
  return issueAuthorizationCode(ctx, interaction, request, session.sub, session.authTime, session);
}

/** RFC 6749 §4.1.2: consumes the pushed request, mints a code bound to client, redirect_uri, PKCE and DPoP key. */
function issueAuthorizationCode(
  ctx: ProviderContext,
  interaction: Interaction,
  request: AuthorizationRequest,
  sub: string,
  authTime: number,
  session: Session | undefined,
): AuthorizationOutcome {
  if (interaction.requestUriHash !== undefined) {
    try {
      consumePushedRequest(ctx, interaction.requestUriHash);
    } catch (e) {
      if (isOAuthError(e)) return { kind: 'error_page', error: e };
      throw e;
    }
  }
  const client = ctx.clients.find(interaction.clientId) as Client;
  const now = ctx.clock.now();
  const grantId = newTimeOrderedId(now);
  ctx.repositories.grants.save({
    id: grantId,
    clientId: client.client_id,
    sub,
    scope: formatScope(request.scope),
    createdAt: now,
  });
  const code = newHandle();
  const lifetime = maxAuthorizationCodeLifetime(client, ctx.settings);
  ctx.repositories.authorizationCodes.save({
    codeHash: hashHandle(code),
    grantId,
    clientId: client.client_id,
    sub,
    redirectUri: request.redirect_uri,
    codeChallenge: request.code_challenge,
    codeChallengeMethod: 'S256',
    scope: formatScope(request.scope),
    nonce: request.nonce,
    authTime,
    amr: ['pwd'],
    authTimeRequired: request.max_age !== undefined,
    dpopJkt: interaction.dpopJkt,
    sessionId: session?.idHash,
    createdAt: now,
    expiresAt: now + lifetime * 1000,
  });
  ctx.repositories.interactions.delete(interaction.id);
  return redirectTo(ctx, request.redirect_uri, { code, state: request.state });
}
