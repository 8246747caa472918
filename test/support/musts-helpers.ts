import { expect } from 'vitest';
import {
  clientAssertionType,
  codeChallengeS256,
  CookieJar,
  createClientAssertion,
  createDpopProof,
  generateCodeVerifier,
  generateDpopKeyPair,
  parseForms,
  type ClientAssertionOptions,
  type DpopAlg,
  type DpopKeyPair,
  type DpopProofOptions,
} from '../../src/client';
import { labApiPaths } from '../../src/common/lab-api';
import type { RecordingSummary } from '../../src/common/lab-events';
import type { RunningServer } from '../../src/server';
import type { Clock } from '../../src/server/domain/clock';
import { fapiConfig, type FapiTestClient } from './fapi-client';
import { labConfig, startLabServer } from './lab-server';
import { tempDirs } from './temp-dirs';

/** A server clock the test moves by hand: codes and request_uris expire when the test says so. */
export class FakeClock implements Clock {
  t: number;
  constructor(start = Math.floor(Date.now() / 1000) * 1000) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  seconds(): number {
    return Math.floor(this.t / 1000);
  }
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

export interface LabResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: Record<string, unknown> | undefined;
  /** The Location header resolved against the request URL. */
  readonly location: URL | undefined;
}

/** A response a MustsBrowser received, with the URL it asked for (forms resolve against it). */
export type BrowserPage = LabResponse & { url: string };

/**
 * Every request of the musts suite goes through here: a 5xx from the provider fails the test at once
 * (DESIGN.md: "Never a stack trace or a 5xx for bad input").
 */
export async function send(url: string, init: RequestInit = {}): Promise<LabResponse> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  expect(
    response.status,
    `${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 200)}`,
  ).toBeLessThan(500);
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    json = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  const location = response.headers.get('location');
  return {
    status: response.status,
    headers: response.headers,
    text,
    json,
    location: location !== null ? new URL(location, url) : undefined,
  };
}

/** Asserts an OAuth JSON error response (RFC 6749 §5.2). */
export function expectOAuthError(response: LabResponse, status: number, error: string): void {
  expect({ status: response.status, error: response.json?.error }).toEqual({ status, error });
}

/** Asserts an HTML error page of the provider (RFC 6749 §4.1.2.1): no redirect, the error code shown. */
export function expectErrorPage(response: LabResponse, error: string): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  expect(response.text).toContain(`<code>${error}</code>`);
}

/**
 * A browser-facing POST whose parameters come as JSON, not form-serialized: refused with an error
 * page (OpenID Connect Core §3.1.2.1, RP-Initiated Logout 1.0 §2).
 */
export async function expectJsonPostRefused(url: string, params: Record<string, string>): Promise<void> {
  const asJson = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  expectErrorPage(asJson, 'invalid_request');
  expect(asJson.text).toContain('form-encoded');
}

/** A cookie-jar browser whose requests all go through `send` (so a 5xx fails the test). */
/** The login page: its password form, as a 200. */
export function expectLoginPage(page: LabResponse): void {
  expect(page.status, page.text.slice(0, 300)).toBe(200);
  expect(page.text).toContain('name="password"');
}

/** The consent page: the allow/deny form, and no login form (the user's session is live). */
export function expectConsentPage(page: LabResponse): void {
  expect(page.status, page.text.slice(0, 300)).toBe(200);
  expect(page.text).toContain('name="decision" value="allow"');
  expect(page.text).not.toContain('name="password"');
}

export class MustsBrowser {
  readonly jar = new CookieJar();

  async request(method: string, url: string, body?: URLSearchParams): Promise<BrowserPage> {
    const headers: Record<string, string> = { Accept: 'text/html' };
    const cookie = this.jar.headerFor(url);
    if (cookie) headers.Cookie = cookie;
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.jar.storeFrom(url, response.headers);
    const text = await response.text();
    expect(response.status, `${method} ${url} answered ${response.status}`).toBeLessThan(500);
    const location = response.headers.get('location');
    return {
      url,
      status: response.status,
      headers: response.headers,
      text,
      json: undefined,
      location: location !== null ? new URL(location, url) : undefined,
    };
  }

  get(url: string) {
    return this.request('GET', url);
  }

  /** Follows redirects that stay on `origin`; stops at a page or at a redirect leaving it. */
  async follow(first: BrowserPage, origin: string): Promise<BrowserPage> {
    let current = first;
    for (let i = 0; i < 10 && current.location && current.location.origin === origin; i++) {
      current = await this.get(current.location.href);
    }
    return current;
  }

  /** Submits the first form of the page with `fields` and an optional button. */
  async submit(
    page: BrowserPage,
    fields: Record<string, string>,
    button?: { name: string; value: string },
  ): Promise<BrowserPage> {
    const form = parseForms(page.text, page.url)[0];
    if (!form) throw new Error(`no form on ${page.url}: ${page.text.slice(0, 200)}`);
    const body = new URLSearchParams();
    for (const field of form.fields) {
      if (field.type === 'submit') continue;
      body.set(field.name, fields[field.name] ?? field.value);
    }
    if (button) body.set(button.name, button.value);
    return this.request(form.method.toUpperCase(), form.action, body);
  }

  /**
   * Walks login and consent from an authorization URL (or a response already received) to the
   * redirect leaving the provider; returns that last response (a redirect, or an error page).
   */
  async authorize(
    start: string | BrowserPage,
    origin: string,
    user: { username: string; password: string } = { username: 'alice', password: 'wonderland' },
    decision: 'allow' | 'deny' = 'allow',
  ): Promise<BrowserPage> {
    let current = await this.follow(typeof start === 'string' ? await this.get(start) : start, origin);
    for (let i = 0; i < 4 && current.status === 200; i++) {
      if (current.text.includes('name="password"')) {
        current = await this.follow(await this.submit(current, user), origin);
      } else if (current.text.includes('name="decision"')) {
        current = await this.follow(await this.decide(current, decision), origin);
      } else break;
    }
    return current;
  }

  /** Answers a consent page (or a logout confirmation) with one of its buttons. */
  decide(page: BrowserPage, decision: string, fields: Record<string, string> = {}): Promise<BrowserPage> {
    return this.submit(page, fields, { name: 'decision', value: decision });
  }
}

export interface Pkce {
  readonly code_verifier: string;
  readonly code_challenge: string;
}

export async function pkce(): Promise<Pkce> {
  const code_verifier = generateCodeVerifier();
  return { code_verifier, code_challenge: await codeChallengeS256(code_verifier) };
}

export const FAPI_REDIRECT_URI = 'https://rp.example.com/cb';
export const STANDARD_CLIENT_ID = 'demo-standard';
export const STANDARD_SECRET = 'demo-standard-secret-not-for-production';
export const STANDARD_REDIRECT_URI = 'http://127.0.0.1:53000/callback';

export interface IssuedTokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly token_type: string;
  readonly scope?: string;
  readonly dpopKey: DpopKeyPair;
  readonly code: string;
  readonly pkce: Pkce;
}

/** How a MustsLab is set up (MustsLab.start). */
export interface MustsLabOptions {
  alg?: 'ES256' | 'PS256';
  settings?: Record<string, unknown>;
  /** Further client registrations (RFC 7591 §2 metadata), appended to the demo ones. */
  extraClients?: Record<string, unknown>[];
  /** The demo users left out of the configuration, by username. */
  withoutUsers?: string[];
  /** A data directory kept between labs (in memory when absent). */
  dataDir?: string;
  /** The provider's port (0, a free one, when absent): a lab on the same data directory and port
   * has the same issuer as the one before it. */
  port?: number;
  /** Record exchanges in the lab (off when absent: most musts are about the provider alone). */
  capture?: boolean;
}

/**
 * One provider (port 0, in-memory, a fake clock) with the demo clients and a third-party fapi2 client
 * whose key the test holds, and the request builders every musts test file shares.
 */
export class MustsLab {
  private constructor(
    readonly server: RunningServer,
    readonly clock: FakeClock,
    readonly fapi: FapiTestClient,
  ) {}

  static async start(options: MustsLabOptions = {}): Promise<MustsLab> {
    const clock = new FakeClock();
    const setup = await fapiConfig(options.alg ?? 'ES256', options.settings ?? {});
    const config =
      options.extraClients || options.withoutUsers
        ? labConfig({
            ...setup.config,
            clients: [
              ...(setup.config.clients as unknown as Record<string, unknown>[]),
              ...(options.extraClients ?? []),
            ],
            users: setup.config.users.filter((u) => !options.withoutUsers?.includes(u.username)),
          })
        : setup.config;
    const server = await startLabServer(config, {
      clock,
      capture: options.capture ?? false,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    return new MustsLab(server, clock, setup.client);
  }

  get issuer(): string {
    return this.server.issuer;
  }

  url(path: string): string {
    return `${this.issuer}${path}`;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** The lab's recordings, through the lab API (with the lab's secret). */
  async recordings(): Promise<RecordingSummary[]> {
    const listed = await send(`${this.server.labOrigin}${labApiPaths.recordings}`, {
      headers: { Authorization: `Bearer ${this.server.labSecret}` },
    });
    expect(listed.status, listed.text).toBe(200);
    return listed.json as unknown as RecordingSummary[];
  }

  /** Asserts that recording `id` exports as JSON and HAR (both parsing) and as Markdown. */
  async expectExports(id: string): Promise<void> {
    for (const format of ['json', 'har', 'md']) {
      const exported = await send(
        `${this.server.labOrigin}${labApiPaths.recordingExport(id)}?format=${format}`,
        { headers: { Authorization: `Bearer ${this.server.labSecret}` } },
      );
      expect(exported.status, `${format}: ${exported.text.slice(0, 200)}`).toBe(200);
      if (format !== 'md') expect(exported.json, `${format} is JSON`).toBeDefined();
    }
  }

  get(path: string, headers: Record<string, string> = {}): Promise<LabResponse> {
    return send(this.url(path), { headers });
  }

  post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LabResponse> {
    return send(this.url(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
  }

  /** A private_key_jwt client assertion of the fapi2 client, on the server's clock, aud = issuer. */
  assertion(options: Partial<ClientAssertionOptions> = {}): Promise<string> {
    return createClientAssertion({
      clientId: this.fapi.clientId,
      audience: this.issuer,
      key: this.fapi.privateKey,
      alg: this.fapi.alg,
      kid: this.fapi.kid,
      now: this.clock.seconds(),
      ...options,
    });
  }

  async clientAuth(options: Partial<ClientAssertionOptions> = {}): Promise<Record<string, string>> {
    return { client_assertion_type: clientAssertionType, client_assertion: await this.assertion(options) };
  }

  standardAuth(): Record<string, string> {
    return { client_id: STANDARD_CLIENT_ID, client_secret: STANDARD_SECRET };
  }

  dpopKey(alg: DpopAlg = 'ES256'): Promise<DpopKeyPair> {
    return generateDpopKeyPair(alg);
  }

  /** A DPoP proof on the server's clock for `method path` (an absolute URL is taken as is). */
  proof(
    keyPair: DpopKeyPair,
    method: string,
    path: string,
    options: Partial<DpopProofOptions> = {},
  ): Promise<string> {
    return createDpopProof({
      keyPair,
      htm: method,
      htu: path.startsWith('http') ? path : this.url(path),
      iat: this.clock.seconds(),
      ...options,
    });
  }

  /** Authorization request parameters of the fapi2 client (RFC 6749 §4.1.1, RFC 7636 §4.3). */
  async fapiParams(overrides: Record<string, string | undefined> = {}): Promise<{
    params: Record<string, string>;
    pkce: Pkce;
  }> {
    const codes = await pkce();
    const params: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: this.fapi.clientId,
      redirect_uri: FAPI_REDIRECT_URI,
      scope: 'openid profile email offline_access accounts',
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
      state: 'state-1',
      nonce: 'nonce-1',
      ...overrides,
    };
    const defined: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) if (value !== undefined) defined[name] = value;
    return { params: defined, pkce: codes };
  }

  /** A PAR request of the fapi2 client with private_key_jwt (RFC 9126 §2.1). */
  async par(params: Record<string, string>, headers: Record<string, string> = {}): Promise<LabResponse> {
    return this.post('/par', { ...params, ...(await this.clientAuth()) }, headers);
  }

  /** The front-channel URL for a request_uri (RFC 9126 §4). */
  authorizeUrl(requestUri: string, clientId = this.fapi.clientId): string {
    return this.url(`/authorize?${new URLSearchParams({ client_id: clientId, request_uri: requestUri })}`);
  }

  /** The end_session endpoint with `params` (OpenID Connect RP-Initiated Logout 1.0 §2). */
  endSessionUrl(params: Record<string, string> = {}): string {
    return this.url(`/end_session?${new URLSearchParams(params)}`);
  }

  /** prompt=none in `browser`: the redirect, with a code while its session lives, login_required once it ended. */
  async silentAuthorize(browser: MustsBrowser): Promise<URL | undefined> {
    const { params } = await this.fapiParams({ prompt: 'none' });
    const pushed = await this.par(params);
    return (await browser.get(this.authorizeUrl(pushed.json?.request_uri as string))).location;
  }

  /** A browser logged in through the fapi2 flow, and the ID token of that login (audience: the fapi2 client). */
  async loggedInBrowser(): Promise<{ browser: MustsBrowser; idToken: string }> {
    const browser = new MustsBrowser();
    const { code, pkce } = await this.fapiCode({}, { browser });
    const tokens = await this.redeemFapiCode(code, pkce.code_verifier, await this.dpopKey());
    expect(tokens.status, tokens.text).toBe(200);
    return { browser, idToken: tokens.json?.id_token as string };
  }

  /**
   * PAR, then the authorization request in `browser`: its first response (the redirect to the
   * interaction) and the page that redirect leads to (login or consent).
   */
  async openFapiAuthorization(
    browser: MustsBrowser,
    overrides: Record<string, string | undefined> = {},
  ): Promise<{ first: BrowserPage; page: BrowserPage; pkce: Pkce }> {
    const { params, pkce: codes } = await this.fapiParams(overrides);
    const pushed = await this.par(params);
    expect(pushed.status, pushed.text).toBe(201);
    const first = await browser.get(this.authorizeUrl(pushed.json?.request_uri as string));
    return { first, page: await browser.follow(first, this.issuer), pkce: codes };
  }

  /** PAR, then login and consent in a fresh browser: the authorization response (the 303 to the client). */
  async fapiCode(
    overrides: Record<string, string | undefined> = {},
    options: { browser?: MustsBrowser; dpopJkt?: string } = {},
  ): Promise<{ response: BrowserPage; code: string; pkce: Pkce }> {
    const { params, pkce: codes } = await this.fapiParams({
      ...(options.dpopJkt ? { dpop_jkt: options.dpopJkt } : {}),
      ...overrides,
    });
    const pushed = await this.par(params);
    expect(pushed.status, pushed.text).toBe(201);
    const browser = options.browser ?? new MustsBrowser();
    const response = await browser.authorize(
      this.authorizeUrl(pushed.json?.request_uri as string),
      this.issuer,
    );
    const code = response.location?.searchParams.get('code');
    if (!code)
      throw new Error(
        `no code: ${response.status} ${response.location?.href} ${response.text.slice(0, 300)}`,
      );
    return { response, code, pkce: codes };
  }

  /** The token request of the code grant for the fapi2 client, with a DPoP proof of `dpopKey`. */
  async redeemFapiCode(
    code: string,
    code_verifier: string,
    dpopKey: DpopKeyPair | undefined,
    extra: Record<string, string> = {},
  ): Promise<LabResponse> {
    const headers: Record<string, string> = dpopKey
      ? { DPoP: await this.proof(dpopKey, 'POST', '/token') }
      : {};
    return this.post(
      '/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: FAPI_REDIRECT_URI,
        code_verifier,
        ...(await this.clientAuth()),
        ...extra,
      },
      headers,
    );
  }

  /** The whole FAPI 2.0 flow: PAR → login → code → DPoP-bound tokens. */
  async fapiTokens(overrides: Record<string, string | undefined> = {}): Promise<IssuedTokens> {
    const dpopKey = await this.dpopKey();
    const { code, pkce: codes } = await this.fapiCode(overrides);
    const response = await this.redeemFapiCode(code, codes.code_verifier, dpopKey);
    expect(response.status, response.text).toBe(200);
    return { ...(response.json as unknown as IssuedTokens), dpopKey, code, pkce: codes };
  }

  /**
   * A client's authorization through PAR, the client authenticating with `auth` (form fields): PAR →
   * login as `user` in a fresh browser → the code, and the PKCE verifier that redeems it.
   */
  async parCode(flow: {
    clientId: string;
    redirectUri: string;
    auth: Record<string, string>;
    scope: string;
    user?: { username: string; password: string };
    nonce?: string;
  }): Promise<{ code: string; code_verifier: string }> {
    const codes = await pkce();
    const pushed = await this.post('/par', {
      response_type: 'code',
      redirect_uri: flow.redirectUri,
      scope: flow.scope,
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
      ...(flow.nonce ? { nonce: flow.nonce } : {}),
      ...flow.auth,
    });
    expect(pushed.status, pushed.text).toBe(201);
    const done = await new MustsBrowser().authorize(
      this.authorizeUrl(pushed.json?.request_uri as string, flow.clientId),
      this.issuer,
      flow.user,
    );
    const code = done.location?.searchParams.get('code') as string;
    expect(code, done.text).toBeTruthy();
    return { code, code_verifier: codes.code_verifier };
  }

  /**
   * `parCode`, then the token request, the client authenticating with `auth` there too (and
   * `tokenHeaders`, e.g. a DPoP proof). Returns the token response.
   */
  async parCodeTokens(
    flow: Parameters<MustsLab['parCode']>[0] & { tokenHeaders?: Record<string, string> },
  ): Promise<Record<string, string>> {
    const { code, code_verifier } = await this.parCode(flow);
    const response = await this.post(
      '/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: flow.redirectUri,
        code_verifier,
        ...flow.auth,
      },
      flow.tokenHeaders ?? {},
    );
    expect(response.status, response.text).toBe(200);
    return response.json as Record<string, string>;
  }

  /** The standard client's code flow through PAR with client_secret_post (see parCodeTokens). */
  standardTokens(
    scope: string,
    options: {
      user?: { username: string; password: string };
      nonce?: string;
      tokenHeaders?: Record<string, string>;
    } = {},
  ): Promise<Record<string, string>> {
    return this.parCodeTokens({
      clientId: STANDARD_CLIENT_ID,
      redirectUri: STANDARD_REDIRECT_URI,
      auth: this.standardAuth(),
      scope,
      ...options,
    });
  }

  /** Requests with a DPoP-bound access token at a resource (RFC 9449 §7.1). */
  async resource(
    path: string,
    accessToken: string,
    dpopKey: DpopKeyPair,
    options: Partial<DpopProofOptions> = {},
  ): Promise<LabResponse> {
    const proof = await this.proof(dpopKey, 'GET', path, { accessToken, ...options });
    return this.get(path, { Authorization: `DPoP ${accessToken}`, DPoP: proof });
  }

  /** RFC 7662 with the fapi2 client's authentication. */
  async introspect(token: string): Promise<Record<string, unknown>> {
    const response = await this.post('/introspect', { token, ...(await this.clientAuth()) });
    expect(response.status, response.text).toBe(200);
    return response.json as Record<string, unknown>;
  }
}

/** The parts of a `WWW-Authenticate: DPoP …` challenge (RFC 9449 §7.1). */
export function parseChallenge(header: string | null): { scheme: string; params: Record<string, string> } {
  const value = header ?? '';
  const scheme = value.split(' ')[0] ?? '';
  const params: Record<string, string> = {};
  for (const match of value.matchAll(/([a-z_]+)="([^"]*)"/g)) params[match[1] as string] = match[2] as string;
  return { scheme, params };
}

/**
 * FAPI 2.0 SP §5.3.2.1: a fapi2 code redeemed 61 s after it was issued is invalid_grant, one redeemed
 * after 59 s is accepted. The lab clock is put back after each step.
 */
export async function expectFapiCodeLivesSixtySeconds(lab: MustsLab): Promise<void> {
  const dpopKey = await lab.dpopKey();
  const late = await lab.fapiCode();
  lab.clock.advance(61);
  try {
    expectOAuthError(
      await lab.redeemFapiCode(late.code, late.pkce.code_verifier, dpopKey),
      400,
      'invalid_grant',
    );
  } finally {
    lab.clock.advance(-61);
  }
  const inTime = await lab.fapiCode();
  lab.clock.advance(59);
  try {
    const response = await lab.redeemFapiCode(inTime.code, inTime.pkce.code_verifier, dpopKey);
    expect(response.status, response.text).toBe(200);
  } finally {
    lab.clock.advance(-59);
  }
}

/**
 * `before` in a lab on a new data directory, then `after` in a lab started again on that directory
 * and port (the same issuer and signing keys) with `afterOptions`: what the provider makes of what it
 * issued before a restart with another configuration. `after` gets what `before` returned.
 */
export async function acrossRestart<T>(
  beforeOptions: MustsLabOptions,
  before: (lab: MustsLab) => Promise<T>,
  afterOptions: MustsLabOptions,
  after: (lab: MustsLab, issued: T) => Promise<void>,
): Promise<void> {
  const dirs = tempDirs('trusty-lab-musts-');
  const dataDir = dirs.make();
  try {
    const first = await MustsLab.start({ ...beforeOptions, dataDir });
    let issued: T;
    let port: number;
    try {
      port = Number(new URL(first.issuer).port);
      issued = await before(first);
    } finally {
      await first.close();
    }
    const second = await MustsLab.start({ ...afterOptions, dataDir, port });
    try {
      await after(second, issued);
    } finally {
      await second.close();
    }
  } finally {
    dirs.removeAll();
  }
}
