import { ClientProtocolError } from './errors';
import type { DemoClient } from './flow';
import { runCodeFlow, runStandardFlow, type FlowOutcome, type UserAgent } from './flow-standard';

/**
 * The FAPI 2.0 flow (FAPI 2.0 SP §5.3): a fresh DPoP key, the request pushed with private_key_jwt
 * (RFC 9126) and bound to the key (`dpop_jkt`, RFC 9449 §10), the front channel carrying only
 * client_id and request_uri, the code exchanged with a DPoP proof, and the token used with `ath`.
 */
export async function runFapiFlow(
  client: DemoClient,
  userAgent: UserAgent,
  options: { userinfo?: boolean } = {},
): Promise<FlowOutcome> {
  if (client.config.mode !== 'fapi2')
    throw new ClientProtocolError('runFapiFlow needs a client in fapi2 mode');
  return runCodeFlow(client, userAgent, { ...options, push: true });
}

/** Runs the flow of the client's mode. */
export function runFlow(
  client: DemoClient,
  userAgent: UserAgent,
  options: { userinfo?: boolean } = {},
): Promise<FlowOutcome> {
  return client.config.mode === 'fapi2'
    ? runFapiFlow(client, userAgent, options)
    : runStandardFlow(client, userAgent, options);
}
