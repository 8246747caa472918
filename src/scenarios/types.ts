import type { JWK } from 'jose';
import type { ScenarioContext } from './context';

/** The areas of the library, in the order the catalogue lists them. */
export const scenarioCategories = [
  'discovery',
  'pkce',
  'par',
  'client-authentication',
  'dpop-token-endpoint',
  'dpop-resource',
  'authorization-code',
  'refresh-and-revocation',
  'logout',
  'hostile-input',
] as const;

export type ScenarioCategory = (typeof scenarioCategories)[number];

/**
 * What the specs require of the provider: an error answer (a status, or any of several where the
 * specs leave the choice, and the registered `error` code), or a success (2xx, or a given status).
 */
export type Expected =
  | { readonly success: true; readonly status?: number }
  | { readonly status: number | readonly number[]; readonly error: string | readonly string[] };

/** What the provider actually answered, as the runner compares it. */
export interface Observation {
  /** HTTP status; null when the request could not be made. */
  status: number | null;
  /** The OAuth `error` code: JSON body, `WWW-Authenticate`, redirect query or error page. */
  error?: string;
  error_description?: string;
  /**
   * Further requirements of the specs the scenario verified beyond the answer itself (the first
   * tokens revoked after a code replay, no redirect to an unregistered URI); each entry fails it.
   */
  problems?: string[];
}

/** A scenario as data: what it does, what the specs require, and the step that plays it. */
export interface ScenarioDefinition {
  /** Stable kebab-case id: CI reports and `--only` use it. */
  readonly id: string;
  readonly title: string;
  readonly category: ScenarioCategory;
  /** What the scenario sends, in plain words. */
  readonly description: string;
  readonly expected: Expected;
  /** The clause that demands the expected outcome. */
  readonly clause: string;
  /** Why this matters (shown in the lab next to the result). */
  readonly teaching: string;
  /** Moves the lab clock: skipped when no lab is available. */
  readonly needsLabClock?: boolean;
  /** A happy path, run as a baseline for the faulty ones. */
  readonly baseline?: boolean;
  /** Where it came from: the built-in library or a user's file. */
  readonly source?: 'built-in' | 'user';
  /** Plays the scenario and returns what the provider answered to the request under test. */
  readonly run: (ctx: ScenarioContext) => Promise<Observation>;
}

/** The catalogue entry of a scenario, without its step (what the lab API and the UI show). */
export type ScenarioInfo = Omit<ScenarioDefinition, 'run'>;

export const scenarioInfo = ({ run: _run, ...info }: ScenarioDefinition): ScenarioInfo => info;

/** A client of the provider under test, with the material to authenticate as it. */
export interface TargetClient {
  readonly client_id: string;
  readonly token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  readonly client_secret?: string;
  /** Private keys for private_key_jwt (with `alg` and `kid`). */
  readonly private_jwks?: JWK[];
  readonly redirect_uri?: string;
  readonly post_logout_redirect_uri?: string;
  readonly scope?: string;
  /** RFC 9126 §6: its authorization requests must be pushed (PAR). */
  readonly require_pushed_authorization_requests?: boolean;
  /** RFC 9449 §5.2: its access tokens are DPoP-bound, so its token requests carry a proof. */
  readonly dpop_bound_access_tokens?: boolean;
}

/** The provider the scenarios run against. */
export interface ScenarioTarget {
  readonly issuer: string;
  readonly clients: {
    /** Authorization code + PKCE + a client secret (OpenID Connect profile). */
    readonly standard?: TargetClient;
    /** FAPI 2.0: PAR, private_key_jwt, DPoP. */
    readonly fapi?: TargetClient;
    /** client_credentials, private_key_jwt, DPoP. */
    readonly service?: TargetClient;
  };
  readonly users: readonly { readonly username: string; readonly password: string }[];
  /** A DPoP-protected resource; default `${issuer}/api/accounts` (the lab's demo resource server). */
  readonly resourceUrl?: string;
  /** The lab API of the provider: recordings, clock and client exchanges. */
  readonly lab?: { readonly origin: string; readonly secret: string };
}

export type ScenarioOutcome = 'pass' | 'fail' | 'skip';

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly category: ScenarioCategory;
  readonly clause: string;
  readonly outcome: ScenarioOutcome;
  readonly expected: Expected;
  readonly actual?: Observation;
  readonly durationMs: number;
  readonly recordingId?: string;
  /** Why it failed or was skipped. */
  readonly reason?: string;
}

export interface RunSummary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}
