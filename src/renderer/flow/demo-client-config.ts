import type { LabClientInfo } from '../../common/lab-api';
import { isRegisteredRedirectUri, withoutLoopbackPort } from '../../common/redirect-uri-match';
import type { DemoClientConfig } from '../../client/flow';
import type { ClientAuthentication } from '../../client/client-authentication';
import { isClientCredentialsOnly, usesDpop, usesPar } from './flow-steps';

/** The callback route of the lab UI: the demo clients' redirect_uri. */
export function callbackUri(labOrigin: string): string {
  return `${labOrigin.replace(/\/$/, '')}/callback`;
}

/** The lab's callback as a client registers it: without the port, for a loopback address. */
export const registrableCallback = (labOrigin: string): string =>
  withoutLoopbackPort(callbackUri(labOrigin)) ?? callbackUri(labOrigin);

/**
 * Can the lab UI run this client's authorization code flow: is the lab's callback one of its redirect
 * URIs, matched as the provider matches them? A client registered for client_credentials alone needs none.
 */
export function receivesCallback(client: LabClientInfo, labOrigin: string): boolean {
  return (
    isClientCredentialsOnly(client) || isRegisteredRedirectUri(callbackUri(labOrigin), client.redirect_uris)
  );
}

/** The registered redirect_uri on the lab origin, or the lab callback when none is listed. */
export function redirectUriFor(client: LabClientInfo, labOrigin: string): string {
  const ours = callbackUri(labOrigin);
  return client.redirect_uris.find((u) => u === ours) ?? ours;
}

export function clientAuthenticationFor(client: LabClientInfo): ClientAuthentication {
  switch (client.token_endpoint_auth_method) {
    case 'client_secret_post':
    case 'client_secret_basic':
      return { method: client.token_endpoint_auth_method, client_secret: client.client_secret ?? '' };
    case 'private_key_jwt':
      return { method: 'private_key_jwt', private_jwks: client.private_jwks ?? [] };
    default:
      return { method: 'none' };
  }
}

/** The demo client configuration of a registered lab client (no callbacks). */
export function demoClientConfigFor(
  client: LabClientInfo,
  issuer: string,
  labOrigin: string,
): Omit<DemoClientConfig, 'onExchange' | 'presend' | 'clock' | 'fetch'> {
  const redirect_uri = redirectUriFor(client, labOrigin);
  return {
    issuer,
    client_id: client.client_id,
    redirect_uri,
    post_logout_redirect_uri: client.post_logout_redirect_uris.includes(redirect_uri)
      ? redirect_uri
      : undefined,
    scope: client.scope,
    mode: client.profile === 'fapi2' ? 'fapi2' : 'standard',
    auth: clientAuthenticationFor(client),
    usePar: usesPar(client),
    useDpop: usesDpop(client),
  };
}

/** The demo resource server's endpoint (served beside the provider). */
export function resourceUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/api/accounts`;
}
