import type { LabClientInfo } from '../../common/lab-api';

/** The steps of the demo flow, each with what it does in one line and the clause that defines it. */
export type StepId =
  | 'discover'
  | 'par'
  | 'authorize'
  | 'token'
  | 'client_credentials'
  | 'userinfo'
  | 'resource'
  | 'refresh'
  | 'introspect'
  | 'revoke'
  | 'logout';

export interface FlowStep {
  id: StepId;
  title: string;
  explanation: string;
  ref: string;
}

/** Whether a client runs the FAPI 2.0 shape of the flow: PAR, private_key_jwt, DPoP. */
export function isFapi(client: Pick<LabClientInfo, 'profile'>): boolean {
  return client.profile === 'fapi2';
}

export function usesPar(
  client: Pick<LabClientInfo, 'profile' | 'require_pushed_authorization_requests'>,
): boolean {
  return isFapi(client) || client.require_pushed_authorization_requests;
}

export function usesDpop(client: Pick<LabClientInfo, 'profile' | 'dpop_bound_access_tokens'>): boolean {
  return isFapi(client) || client.dpop_bound_access_tokens;
}

/** A client registered for the client credentials grant and not the code flow (RFC 6749 §4.4). */
export function isClientCredentialsOnly(client: Pick<LabClientInfo, 'grant_types'>): boolean {
  return (
    client.grant_types.includes('client_credentials') && !client.grant_types.includes('authorization_code')
  );
}

const discoverStep: FlowStep = {
  id: 'discover',
  title: 'Discover the provider',
  explanation: 'Read the provider’s metadata: its endpoints, keys and what it supports.',
  ref: 'OpenID Connect Discovery 1.0 §4',
};

const hasScope = (client: Pick<LabClientInfo, 'scope'>, scope: string): boolean =>
  client.scope.split(' ').includes(scope);

const resourceStep = (dpop: boolean): FlowStep => ({
  id: 'resource',
  title: 'Call the resource API',
  explanation: 'Use the access token at the demo resource server (GET /api/accounts).',
  ref: dpop ? 'RFC 9449 §7' : 'RFC 6750 §2.1',
});

const introspectStep: FlowStep = {
  id: 'introspect',
  title: 'Introspect the access token',
  explanation: 'Ask the provider whether the token is active and what it is bound to (cnf.jkt).',
  ref: 'RFC 7662 §2',
};

const revokeStep = (token: 'refresh' | 'access'): FlowStep => ({
  id: 'revoke',
  title: `Revoke the ${token} token`,
  explanation: `Tell the provider the ${token} token is no longer needed.`,
  ref: 'RFC 7009 §2',
});

/** A machine-to-machine client's flow: a token for itself, used, looked at and given back. */
function clientCredentialsSteps(client: LabClientInfo): FlowStep[] {
  const dpop = usesDpop(client);
  return [
    discoverStep,
    {
      id: 'client_credentials',
      title: 'Get a token for the client itself',
      explanation: `Ask for an access token with the client’s own credentials (${client.token_endpoint_auth_method}${dpop ? ' and a DPoP proof' : ''}): no user, no browser, no refresh or ID token.`,
      ref: dpop ? 'RFC 6749 §4.4, RFC 9449 §5' : 'RFC 6749 §4.4',
    },
    ...(hasScope(client, 'accounts') ? [resourceStep(dpop)] : []),
    introspectStep,
    revokeStep('access'),
  ];
}

/** The steps for a client, in protocol order. */
export function stepsFor(client: LabClientInfo): FlowStep[] {
  if (isClientCredentialsOnly(client)) return clientCredentialsSteps(client);
  const dpop = usesDpop(client);
  const auth = client.token_endpoint_auth_method;
  const steps: FlowStep[] = [discoverStep];
  if (usesPar(client)) {
    steps.push({
      id: 'par',
      title: 'Push the authorization request',
      explanation: `Send the request parameters straight to the provider (authenticated with ${auth}${dpop ? ', code bound to the DPoP key by dpop_jkt' : ''}); get a one-time request_uri.`,
      ref: dpop ? 'RFC 9126 §2, RFC 9449 §10' : 'RFC 9126 §2',
    });
  }
  const openid = hasScope(client, 'openid');
  // The lab issues refresh tokens only for offline_access (OpenID Connect Core §11).
  const refresh = client.grant_types.includes('refresh_token') && hasScope(client, 'offline_access');
  steps.push(
    {
      id: 'authorize',
      title: 'Authorize and log in',
      explanation:
        'Open the provider’s login page in a popup; it redirects back with a code, the state and iss.',
      ref: usesPar(client) ? 'RFC 9126 §4, RFC 9207 §2' : 'RFC 6749 §4.1.1, RFC 9207 §2',
    },
    {
      id: 'token',
      title: 'Exchange the code',
      explanation: `Trade the code and the PKCE verifier for tokens (${auth}${dpop ? ' and a DPoP proof' : ''})${openid ? '; check the ID token' : ''}.`,
      ref: dpop ? 'RFC 6749 §4.1.3, RFC 7636 §4.5, RFC 9449 §5' : 'RFC 6749 §4.1.3, RFC 7636 §4.5',
    },
  );
  if (openid) {
    steps.push({
      id: 'userinfo',
      title: 'Call userinfo',
      explanation: dpop
        ? 'Ask for the user’s claims with the DPoP-bound access token and a fresh proof carrying ath.'
        : 'Ask for the user’s claims with the access token as a Bearer token.',
      ref: dpop
        ? 'OpenID Connect Core 1.0 §5.3, RFC 9449 §7.1'
        : 'OpenID Connect Core 1.0 §5.3, RFC 6750 §2.1',
    });
  }
  // The demo resource server serves the `accounts` scope alone (it answers others insufficient_scope).
  if (hasScope(client, 'accounts')) steps.push(resourceStep(dpop));
  if (refresh) {
    steps.push({
      id: 'refresh',
      title: 'Refresh the tokens',
      explanation: dpop
        ? 'Get a new access token with the refresh token, proving possession of the same DPoP key.'
        : 'Get a new access token with the refresh token.',
      ref: dpop ? 'RFC 6749 §6, RFC 9449 §5' : 'RFC 6749 §6',
    });
  }
  // RFC 7662 §2.1: introspection is for authenticated callers; a public client has nothing to show.
  if (auth !== 'none') steps.push(introspectStep);
  steps.push(revokeStep(refresh ? 'refresh' : 'access'));
  if (openid) {
    steps.push({
      id: 'logout',
      title: 'Log out',
      explanation: 'End the session at the provider with the ID token as hint, in the popup.',
      ref: 'OpenID Connect RP-Initiated Logout 1.0 §2',
    });
  }
  return steps;
}

export type StepStatus = 'pending' | 'running' | 'done' | 'failed';

/** The step "Run next step" runs: the first one not done yet. */
export function nextStep(
  steps: readonly FlowStep[],
  status: Partial<Record<StepId, StepStatus>>,
): FlowStep | undefined {
  return steps.find((s) => status[s.id] !== 'done');
}
