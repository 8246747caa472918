import {
  basicCredentials,
  ClientClock,
  CookieJar,
  discover,
  generateDpopKeyPair,
  generateSpanId,
  HttpClient,
  isUseDpopNonce,
  type ClientResponse,
  type DpopAlg,
  type DpopKeyPair,
  type ProviderMetadata,
} from '../client';
import type { ClientExchangeReport } from '../common/lab-api';
import { forgeClientAssertion, forgeDpopProof, type AssertionForgery, type ProofForgery } from './forge';
import type { LabConnection } from './lab-connection';
import { observe } from './observe';
import { timedFetch } from './timed-fetch';
import type { Observation, ScenarioTarget, TargetClient } from './types';

/** Every request of a scenario, to the provider or as its browser, is given up after a while. */
const answerWithin = timedFetch();

/** The requests of a flow a user-defined scenario may mutate, in flow order. */
export const requestStages = [
  'par',
  'authorize',
  'token',
  'userinfo',
  'resource',
  'refresh',
  'introspect',
  'revoke',
] as const;
export type RequestStage = (typeof requestStages)[number];

/** One request a scenario sends, before client authentication and DPoP are applied. */
export interface OutgoingRequest {
  /** The flow stage it belongs to (for mutations), or a free label. */
  stage: RequestStage | 'other';
  label: string;
  method: 'GET' | 'POST';
  url: string;
  /** Query (GET) or form body (POST) parameters, in order; a name may repeat. */
  params: [string, string][];
  headers: Record<string, string>;
  /** Authenticate as this client (RFC 6749 §2.3, RFC 7523 §2.2), with an optional forgery. */
  auth?: { client: TargetClient; assertion?: AssertionForgery; omit?: boolean };
  /**
   * DPoP proofs to send. Two go out as one comma-joined DPoP field — which is exactly how a server
   * (Node's included) sees two DPoP header lines (RFC 9110 §5.3) — for RFC 9449 §4.3 (1).
   */
  dpop?: ProofForgery[];
  /** A raw body instead of the form encoding of `params` (hostile input). */
  rawBody?: string | Uint8Array;
  /** Last edit of the parameters, after the client's credentials were added (user-defined mutations). */
  finalize?: (params: [string, string][]) => [string, string][];
}

export interface Sent {
  response: ClientResponse;
  observation: Observation;
}

/** A scenario's precondition failed: a step that must succeed did not. The scenario fails with this reason. */
export class SetupFailure extends Error {
  constructor(
    readonly stage: string,
    readonly observation: Observation,
  ) {
    super(
      `setup step '${stage}' was refused: ${observation.status ?? 'no answer'} ${observation.error ?? ''} ${
        observation.error_description ?? ''
      }`.trim(),
    );
    this.name = 'SetupFailure';
  }
}

/** The target lacks what a scenario needs (a client kind, a lab): the scenario is skipped. */
export class ScenarioSkip extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ScenarioSkip';
  }
}

/** Thrown by `send` after the request a user-defined scenario is about (see `stopAfter`). */
export class StageReached extends Error {
  constructor(readonly observation: Observation) {
    super('stage reached');
    this.name = 'StageReached';
  }
}

const isEncodedForm = (params: [string, string][]) => new URLSearchParams(params).toString();

/** Fetches the provider's metadata (OpenID Connect Discovery 1.0 §4) through a scenario's client. */
export type Discovery = (http: HttpClient) => Promise<ProviderMetadata>;

/**
 * The provider's metadata fetched once, by the first scenario that needs it, and the same answer (or
 * error) for every later one, as a client library keeps it. A provider that never answers then fails
 * each later scenario at once, instead of after the request timeout each time.
 */
export function discoverOnce(issuer: string): Discovery {
  let metadata: Promise<ProviderMetadata> | undefined;
  return (http) => (metadata ??= discover(issuer, { http, checks: [] }));
}

/**
 * What a scenario step works with: the target, one HTTP client whose exchanges go to the lab, a client
 * clock that follows the lab clock, and `send`, which builds a request (client authentication, DPoP
 * proofs, forgeries) and reads the provider's answer.
 */
export class ScenarioContext {
  readonly http: HttpClient;
  readonly clock = new ClientClock();
  /** Set by user-defined scenarios: applied to every request before it is built. */
  intercept?: (request: OutgoingRequest) => Promise<void> | void;
  /** Set by user-defined scenarios: the stage whose answer is the outcome. */
  stopAfter?: RequestStage;
  clockMoved = false;
  private metadataCache: ProviderMetadata | undefined;

  /** The user's browser: its cookies outlive the scenario, so the user logs in once per run. */
  readonly browser: HttpClient;

  constructor(
    readonly target: ScenarioTarget,
    readonly lab: LabConnection | undefined,
    onExchange?: (report: ClientExchangeReport) => void,
    browserJar: CookieJar = new CookieJar(),
    private readonly discovery: Discovery = discoverOnce(target.issuer),
  ) {
    this.http = new HttpClient({ onExchange, clock: this.clock, fetch: answerWithin });
    const browserFetch = async (input: string, init: RequestInit): Promise<Response> => {
      const headers = new Headers(init.headers);
      const cookies = [headers.get('cookie'), browserJar.headerFor(input)].filter((c) => c);
      if (cookies.length > 0) headers.set('cookie', cookies.join('; '));
      const response = await answerWithin(input, { ...init, headers });
      browserJar.storeFrom(input, response.headers);
      return response;
    };
    this.browser = new HttpClient({
      onExchange,
      clock: this.clock,
      fetch: browserFetch,
      traceId: this.http.traceId,
    });
  }

  async metadata(): Promise<ProviderMetadata> {
    this.metadataCache ??= await this.discovery(this.http);
    return this.metadataCache;
  }

  async endpoint(name: keyof ProviderMetadata & string): Promise<string> {
    const value = (await this.metadata())[name];
    if (typeof value !== 'string') throw new ScenarioSkip(`the provider does not advertise ${name}`);
    return value;
  }

  get resourceUrl(): string {
    return this.target.resourceUrl ?? `${this.target.issuer}/api/accounts`;
  }

  client(kind: keyof ScenarioTarget['clients']): TargetClient {
    const client = this.target.clients[kind];
    if (!client) throw new ScenarioSkip(`the target has no ${kind} client`);
    return client;
  }

  redirectUri(client: TargetClient): string {
    if (!client.redirect_uri) throw new ScenarioSkip(`client ${client.client_id} has no redirect_uri`);
    return client.redirect_uri;
  }

  user(): { username: string; password: string } {
    const user = this.target.users[0];
    if (!user) throw new ScenarioSkip('the target has no user to log in as');
    return user;
  }

  /** A second user, for scenarios where another user logs in: the target's second one. */
  otherUser(): { username: string; password: string } {
    const user = this.target.users[1];
    if (!user) throw new ScenarioSkip('the target has no second user to log in as');
    return user;
  }

  dpopKey(alg: DpopAlg = 'ES256', extractable = false): Promise<DpopKeyPair> {
    return generateDpopKeyPair(alg, { extractable });
  }

  /**
   * Moves the lab clock forward (and the client's with it, so that its `iat`s stay honest); the
   * runner resets it after the scenario.
   */
  async advanceClock(seconds: number): Promise<void> {
    if (!this.lab) throw new ScenarioSkip('moving time needs the lab API');
    this.clockMoved = true;
    const state = await this.lab.advanceClock(seconds);
    this.clock.setOffset(state.offsetMs);
  }

  private async credentials(request: OutgoingRequest): Promise<[string, string][]> {
    const auth = request.auth;
    if (!auth || auth.omit) return [];
    const { client } = auth;
    switch (client.token_endpoint_auth_method) {
      case 'client_secret_post':
        return [
          ['client_id', client.client_id],
          ['client_secret', client.client_secret ?? ''],
        ];
      case 'client_secret_basic': {
        request.headers.Authorization = basicCredentials(client.client_id, client.client_secret ?? '');
        return [];
      }
      case 'private_key_jwt': {
        // FAPI 2.0 SP §5.3.2.1: the assertion's audience is the issuer identifier.
        const fields = await forgeClientAssertion(
          client.client_id,
          client.private_jwks ?? [],
          auth.assertion,
          {
            audience: this.target.issuer,
            clock: this.clock,
          },
        );
        return Object.entries(fields);
      }
    }
  }

  /**
   * Builds and sends a request; never follows redirects (they are data here). A server that demands
   * its own DPoP nonce answers a proof without it with `use_dpop_nonce` and a `DPoP-Nonce` header
   * (RFC 9449 §8.1 at the token endpoint, §9 at a resource server); the request is then built and sent
   * once more, as a client does: its proofs carry that nonce and its client assertion is a new one
   * (the first was used up by the refused request). The scenario's own forgeries apply to both.
   */
  async send(request: OutgoingRequest): Promise<Sent> {
    if (this.intercept) await this.intercept(request);
    const nonceSent = this.http.dpopNonceFor(request.url);
    let response = await this.transmit(request);
    const nonceGiven = response.headers.get('dpop-nonce');
    // Once: a nonce the proofs carried already would be refused again.
    if (request.dpop?.length && nonceGiven && nonceGiven !== nonceSent && isUseDpopNonce(response)) {
      response = await this.transmit(request);
    }
    const observation = observe(response);
    if (this.stopAfter !== undefined && request.stage === this.stopAfter) throw new StageReached(observation);
    return { response, observation };
  }

  /** Builds the request as it stands (credentials, proofs with the latest nonce) and sends it. */
  private async transmit(request: OutgoingRequest): Promise<ClientResponse> {
    const params: [string, string][] = [...request.params];
    for (const [name, value] of await this.credentials(request)) {
      const index = params.findIndex(([existing]) => existing === name);
      if (index >= 0) params.splice(index, 1);
      params.push([name, value]);
    }
    const finalParams = request.finalize ? request.finalize(params) : params;
    const headers = { ...request.headers };
    if (request.dpop && request.dpop.length > 0) {
      const proofs = await Promise.all(
        request.dpop.map((forgery) =>
          forgeDpopProof(forgery, {
            htm: request.method,
            htu: request.url,
            nonce: this.http.dpopNonceFor(request.url),
            clock: this.clock,
          }),
        ),
      );
      // Two proofs reach the server as two field lines joined by a comma (RFC 9110 §5.3).
      headers.DPoP = proofs.join(', ');
    }
    let url = request.url;
    let body: string | null = null;
    if (request.method === 'GET') {
      const target = new URL(request.url);
      for (const [name, value] of finalParams) target.searchParams.append(name, value);
      url = target.href;
    } else if (request.rawBody !== undefined) {
      body =
        typeof request.rawBody === 'string'
          ? request.rawBody
          : new TextDecoder('latin1').decode(request.rawBody);
    } else {
      body = isEncodedForm(finalParams);
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    }
    return request.rawBody instanceof Uint8Array
      ? await this.sendBytes(request, url, headers, request.rawBody)
      : await this.http.send({
          label: request.label,
          method: request.method,
          url,
          headers,
          body,
          redirect: 'manual',
        });
  }

  /** Raw bytes (invalid UTF-8) go around the string-typed HttpClient, through fetch itself. */
  private async sendBytes(
    request: OutgoingRequest,
    url: string,
    headers: Record<string, string>,
    bytes: Uint8Array,
  ): Promise<ClientResponse> {
    const response = await answerWithin(url, {
      method: request.method,
      headers,
      body: new Uint8Array(bytes),
      redirect: 'manual',
    });
    const body = await response.text();
    const report: ClientExchangeReport = {
      traceId: this.http.traceId,
      spanId: generateSpanId(),
      label: request.label,
      method: request.method,
      url,
      requestHeaders: headers,
      requestBody: `(${bytes.length} raw bytes)`,
      status: response.status,
      responseHeaders: Object.fromEntries(response.headers),
      responseBody: body,
      startedAt: this.clock.now(),
      durationMs: 0,
    };
    this.http.onExchange?.(report);
    return { status: response.status, headers: response.headers, body, url, report };
  }

  /** Sends a request that must succeed for the scenario to go on. */
  async expectSuccess(request: OutgoingRequest): Promise<Sent> {
    const sent = await this.send(request);
    const status = sent.observation.status ?? 0;
    if (status >= 400 || sent.observation.error !== undefined)
      throw new SetupFailure(request.label, sent.observation);
    return sent;
  }
}
