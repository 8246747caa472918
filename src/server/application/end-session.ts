import { verify, verifyWork, type CheckSpec } from '../domain/check';
import type { Client } from '../domain/client';
import { hashHandle } from '../domain/handles';
import { invalidRequest } from '../domain/oauth-error';
import type { Parameters } from '../domain/parameters';
import { identifyIssuedIdTokenSync } from '../infrastructure/access-token';
import type { ProviderContext } from './provider-context';
import { SERVER_SIGNING_ALGS, serverKeyResolver } from './server-keys';

const checks = {
  idTokenHint: {
    id: 'end_session.id_token_hint',
    description: 'id_token_hint is an ID token this server issued (it may have expired)',
    ref: 'OpenID Connect RP-Initiated Logout 1.0 §2, §4',
  },
  clientId: {
    id: 'end_session.client_id',
    description: 'client_id, when sent with id_token_hint, is its audience',
    ref: 'OpenID Connect RP-Initiated Logout 1.0 §2',
  },
  clientKnown: {
    id: 'end_session.client_known',
    description:
      'The client is identified (id_token_hint or client_id) when post_logout_redirect_uri is sent',
    ref: 'OpenID Connect RP-Initiated Logout 1.0 §2, §3',
  },
  redirectRegistered: {
    id: 'end_session.post_logout_redirect_uri',
    description: 'post_logout_redirect_uri is registered for the client',
    ref: 'OpenID Connect RP-Initiated Logout 1.0 §3',
  },
} satisfies Record<string, CheckSpec>;

export { checks as endSessionChecks };

export interface EndSessionRequest {
  readonly client?: Client;
  readonly post_logout_redirect_uri?: string;
  readonly state?: string;
}

/**
 * Validates a logout request (RP-Initiated Logout 1.0 §2–§3). Any failure is shown on an error page:
 * an unregistered post_logout_redirect_uri is never redirected to.
 */
export function validateEndSessionRequest(ctx: ProviderContext, params: Parameters): EndSessionRequest {
  let audience: string | undefined;
  if (params.id_token_hint !== undefined) {
    const hint = params.id_token_hint;
    audience = verifyWork(checks.idTokenHint, () => {
      // An expired ID token is a fine hint (§2): the signature and issuer are what matter.
      const payload = identifyIssuedIdTokenSync(hint, {
        keys: serverKeyResolver(ctx.keys),
        issuer: ctx.issuer,
        algorithms: SERVER_SIGNING_ALGS,
      });
      const aud = Array.isArray(payload?.aud) ? payload.aud[0] : payload?.aud;
      if (typeof aud !== 'string') {
        throw invalidRequest('id_token_hint is not an ID token issued by this server', false);
      }
      // Signed by this provider for a client it no longer has (its configuration changed since).
      if (!ctx.clients.find(aud)) {
        throw invalidRequest('id_token_hint was issued to a client this provider no longer has', false);
      }
      return aud;
    });
  }
  if (params.client_id !== undefined && audience !== undefined) {
    verify(checks.clientId, params.client_id === audience, () =>
      invalidRequest('client_id is not the audience of id_token_hint', false),
    );
  }
  const clientId = audience ?? params.client_id;
  const client = clientId !== undefined ? ctx.clients.find(clientId) : undefined;
  const uri = params.post_logout_redirect_uri;
  if (uri !== undefined) {
    verify(checks.clientKnown, client !== undefined, () =>
      invalidRequest('post_logout_redirect_uri needs id_token_hint or client_id of a known client', false),
    );
    verify(checks.redirectRegistered, client.metadata.post_logout_redirect_uris.includes(uri), () =>
      invalidRequest('post_logout_redirect_uri is not registered for this client', false),
    );
  }
  return { client, post_logout_redirect_uri: uri, state: params.state };
}

/** Ends the login session the cookie names (RP-Initiated Logout 1.0 §2: the user is logged out). */
export function endSession(ctx: ProviderContext, sessionId: string | undefined): void {
  if (sessionId) ctx.repositories.sessions.end(hashHandle(sessionId), ctx.clock.now());
}
