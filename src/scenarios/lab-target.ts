import type { LabClientInfo, LabSession } from '../common/lab-api';
import { LabConnection } from './lab-connection';
import type { ScenarioTarget, TargetClient } from './types';

const toTargetClient = (info: LabClientInfo): TargetClient => ({
  client_id: info.client_id,
  token_endpoint_auth_method: info.token_endpoint_auth_method as TargetClient['token_endpoint_auth_method'],
  ...(info.client_secret ? { client_secret: info.client_secret } : {}),
  ...(info.private_jwks ? { private_jwks: info.private_jwks } : {}),
  ...(info.redirect_uris[0] ? { redirect_uri: info.redirect_uris[0] } : {}),
  ...(info.post_logout_redirect_uris[0]
    ? { post_logout_redirect_uri: info.post_logout_redirect_uris[0] }
    : {}),
  scope: info.scope,
  ...(info.require_pushed_authorization_requests ? { require_pushed_authorization_requests: true } : {}),
  ...(info.dpop_bound_access_tokens ? { dpop_bound_access_tokens: true } : {}),
});

/** Picks, among the lab's clients, one of each kind the scenarios need. */
export function targetFromLabSession(
  session: LabSession,
  users: ScenarioTarget['users'],
  lab: { origin: string; secret: string },
): ScenarioTarget {
  const codeFlow = (c: LabClientInfo) =>
    c.grant_types.includes('authorization_code') && c.redirect_uris.length > 0;
  const standard = session.clients.find(
    (c) =>
      c.profile === 'oidc' &&
      codeFlow(c) &&
      c.client_secret !== undefined &&
      c.token_endpoint_auth_method.startsWith('client_secret'),
  );
  const fapi = session.clients.find(
    (c) => c.profile === 'fapi2' && codeFlow(c) && (c.private_jwks?.length ?? 0) > 0,
  );
  const service = session.clients.find(
    (c) =>
      c.grant_types.includes('client_credentials') &&
      c.token_endpoint_auth_method === 'private_key_jwt' &&
      (c.private_jwks?.length ?? 0) > 0,
  );
  return {
    issuer: session.issuer,
    clients: {
      ...(standard ? { standard: toTargetClient(standard) } : {}),
      ...(fapi ? { fapi: toTargetClient(fapi) } : {}),
      ...(service ? { service: toTargetClient(service) } : {}),
    },
    users,
    lab,
  };
}

/** Asks a running lab for its session (clients with their demo secrets and keys) and builds the target. */
export async function resolveLabTarget(options: {
  labOrigin: string;
  labSecret: string;
  users: ScenarioTarget['users'];
}): Promise<ScenarioTarget> {
  const lab = { origin: options.labOrigin, secret: options.labSecret };
  const session = await new LabConnection(lab).session();
  return targetFromLabSession(session, options.users, lab);
}
