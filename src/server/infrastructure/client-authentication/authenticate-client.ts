import type { ReplayCache } from '../../application/ports';
import { verify } from '../../domain/check';
import type { Client, ClientDirectory } from '../../domain/client';
import type { Clock } from '../../domain/clock';
import { epochSeconds } from '../../domain/clock';
import { allowedAuthMethods } from '../../domain/fapi-policy';
import { OAuthError, invalidClient } from '../../domain/oauth-error';
import { checkClientSecret } from './check-client-secret';
import {
  checkClientAssertionAlg,
  checkClientAssertionAud,
  checkClientAssertionExp,
  checkClientAssertionIssSub,
  checkClientAssertionJti,
  checkClientAssertionNotBefore,
  checkClientAssertionSignature,
  checkClientAssertionType,
  checkClientAssertionWellFormed,
  type DecodedAssertion,
} from './client-assertion-checks';
import {
  clientAuthClientIdConsistent,
  clientAuthClientKnown,
  clientAuthMethodAllowed,
  clientAuthMethodRegistered,
} from './client-auth-check-specs';
import {
  attemptsBasic,
  readPresentedCredentials,
  type ClientAuthenticationMethod,
  type ClientAuthenticationRequest,
  type PresentedCredentials,
} from './presented-credentials';

export interface ClientAuthenticationContext {
  readonly clients: ClientDirectory;
  /** The issuer identifier: the one `aud` a fapi2 client assertion may carry. */
  readonly issuer: string;
  readonly endpoint: 'token' | 'pushed_authorization_request' | 'introspection' | 'revocation';
  /** Standard profile only: also accepted as assertion `aud` (RFC 7523 §3 (3)). */
  readonly tokenEndpointUrl?: string;
  /** Standard profile only: the URL of the endpoint called, also accepted as `aud` (RFC 9126 §2). */
  readonly endpointUrl?: string;
  readonly clock: Clock;
  readonly replayCache: ReplayCache;
  /** Seconds `nbf`/`iat` may lie in the future (FAPI 2.0 SP §5.3.2.1: 10 to 60). Default 10. */
  readonly allowedClockSkewSeconds?: number;
}

export interface ClientAuthentication {
  readonly client: Client;
  readonly method: ClientAuthenticationMethod;
  /** private_key_jwt: the verified assertion, and the kid of the key that verified it (for the lab). */
  readonly assertion?: DecodedAssertion & { readonly kid?: string };
}

/** RFC 6749 §5.2: a failed Basic authentication is answered with a Basic challenge. */
const BASIC_CHALLENGE = 'Basic realm="trusty-lab", charset="UTF-8"';

/**
 * Authenticates the client of a token, PAR, introspection or revocation request (RFC 6749 §2.3,
 * RFC 7523, RFC 7521 §4.2). Every failure is `401 invalid_client` (with a Basic challenge when Basic
 * was tried), except a malformed request (`invalid_request`) and a full replay cache.
 */
export function authenticateClient(
  request: ClientAuthenticationRequest,
  context: ClientAuthenticationContext,
): ClientAuthentication {
  try {
    const credentials = readPresentedCredentials(request);
    return authenticate(credentials, request.body, context);
  } catch (e) {
    if (attemptsBasic(request) && e instanceof OAuthError && e.error === 'invalid_client') {
      throw e.withHeaders({ 'WWW-Authenticate': BASIC_CHALLENGE });
    }
    throw e;
  }
}

function authenticate(
  credentials: PresentedCredentials,
  body: Record<string, unknown>,
  context: ClientAuthenticationContext,
): ClientAuthentication {
  if (credentials.method !== 'private_key_jwt') {
    if (credentials.method === 'client_secret_basic')
      checkClientIdConsistent(body.client_id, credentials.clientId);
    const client = findClient(context.clients, credentials.clientId);
    checkMethod(client, credentials.method, context.endpoint);
    if (credentials.method !== 'none') checkClientSecret(client, credentials.secret);
    return { client, method: credentials.method };
  }

  checkClientAssertionType(credentials.assertionType);
  const assertion = checkClientAssertionWellFormed(credentials.assertion);
  const { header, payload } = assertion;
  // RFC 7521 §4.2: client_id is optional with an assertion, whose sub names the client; if present,
  // it names the same one (the signature, checked next, then proves the sub).
  checkClientIdConsistent(credentials.clientId, typeof payload.sub === 'string' ? payload.sub : '');
  const clientId = credentials.clientId ?? (typeof payload.sub === 'string' ? payload.sub : '');
  const client = findClient(context.clients, clientId);
  checkMethod(client, 'private_key_jwt', context.endpoint);
  const alg = checkClientAssertionAlg(client, header);
  const kid = checkClientAssertionSignature(client, assertion, alg);
  checkClientAssertionIssSub(client, payload);
  checkClientAssertionAud(client, payload.aud, context);
  const now = epochSeconds(context.clock);
  const exp = checkClientAssertionExp(payload, now);
  checkClientAssertionNotBefore(payload, now, context.allowedClockSkewSeconds ?? 10);
  // Last, so that an assertion refused for another reason does not use up its jti.
  checkClientAssertionJti(client, payload, context.replayCache, exp);
  return { client, method: 'private_key_jwt', assertion: { header, payload, kid } };
}

/**
 * RFC 6749 §2.3.1: a client_id sent in the body too must name the same client. §3.1: one sent without
 * a value counts as omitted.
 */
function checkClientIdConsistent(bodyClientId: unknown, clientId: string): void {
  const omitted = bodyClientId === undefined || bodyClientId === '';
  verify(clientAuthClientIdConsistent, omitted || bodyClientId === clientId, () =>
    invalidClient('client_id does not match the authenticated client'),
  );
}

function findClient(clients: ClientDirectory, clientId: string): Client {
  const client = clientId === '' ? undefined : clients.find(clientId);
  verify(clientAuthClientKnown, client !== undefined, () => invalidClient('unknown client'));
  return client;
}

/**
 * A client authenticates only by the method it registered (OpenID Connect Core §9), and only by one
 * its profile allows (FAPI 2.0 SP §5.3.2.1: private_key_jwt). RFC 7662 §2.1: introspection requires
 * real authentication, so `none` is refused there.
 */
function checkMethod(
  client: Client,
  method: ClientAuthenticationMethod,
  endpoint: ClientAuthenticationContext['endpoint'],
): void {
  const registered = client.metadata.token_endpoint_auth_method;
  verify(clientAuthMethodRegistered, method === registered, () =>
    invalidClient(`the client is registered for ${registered}, not ${method}`),
  );
  const allowed =
    allowedAuthMethods(client).includes(method) && !(method === 'none' && endpoint === 'introspection');
  verify(clientAuthMethodAllowed, allowed, () =>
    invalidClient(
      method === 'none' && endpoint === 'introspection'
        ? 'introspection requires client authentication'
        : `${method} is not allowed for a ${client.profile} client`,
    ),
  );
}
