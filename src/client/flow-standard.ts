import type {
  CallbackResult,
  DemoClient,
  DiscoveryResult,
  ParResult,
  ResourceResult,
  TokenResult,
} from './flow';

/** Plays the user at the provider: given the authorization URL, returns the callback URL. */
export type UserAgent = (authorizationUrl: string) => Promise<string>;

export interface FlowOutcome {
  discovery: DiscoveryResult;
  par?: ParResult;
  authorizationUrl: string;
  callback: CallbackResult;
  token: TokenResult;
  userinfo?: ResourceResult;
}

/**
 * The standard flow (OpenID Connect Core §3.1 with PKCE, RFC 7636): authorization request in the
 * front channel with every parameter, code exchanged with the verifier and the client's secret.
 * A provider that requires PAR gets the request pushed all the same (RFC 9126 §5).
 */
export function runStandardFlow(
  client: DemoClient,
  userAgent: UserAgent,
  options: { userinfo?: boolean } = {},
): Promise<FlowOutcome> {
  return runCodeFlow(client, userAgent, { ...options, push: client.usesPar });
}

/** The authorization code flow's steps; what each sends depends on the client's mode. */
export async function runCodeFlow(
  client: DemoClient,
  userAgent: UserAgent,
  options: { userinfo?: boolean; push: boolean },
): Promise<FlowOutcome> {
  await client.startFlow();
  const discovery = await client.discover();
  const par = options.push ? await client.pushAuthorizationRequest() : undefined;
  const authorizationUrl = await client.authorizationUrl();
  const callback = await client.handleCallback(await userAgent(authorizationUrl));
  const token = await client.exchangeCode();
  const userinfo =
    options.userinfo !== false && discovery.metadata.userinfo_endpoint ? await client.userinfo() : undefined;
  return { discovery, par, authorizationUrl, callback, token, userinfo };
}
