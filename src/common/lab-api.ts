import type { JWK } from 'jose';
import type { LabEvent, Recording, RecordingSummary } from './lab-events';

/**
 * The lab API: what the lab UI (and the desktop shell) may ask of the running lab. It is served on
 * the lab origin (its own port, never the provider's), under LAB_API_PREFIX, and every call carries
 * the per-launch secret in `Authorization: Bearer <secret>`; the Host header must be a loopback name
 * of the lab's own port (DNS rebinding), and no CORS is granted to any other origin.
 *
 * The lab UI learns the secret from the URL fragment it was opened with (`#secret=…`, web mode) or
 * from the preload bridge (desktop).
 */
export const LAB_API_PREFIX = '/lab/api';

export const labApiPaths = {
  /** GET → LabSession */
  session: `${LAB_API_PREFIX}/session`,
  /** GET → text/event-stream of LabEvent (`event: lab`, `id:` the event id). `?since=<event id>` replays. */
  events: `${LAB_API_PREFIX}/events`,
  /** POST ClientExchangeReport → 204: the demo client's own view of a request it sent. */
  clientExchanges: `${LAB_API_PREFIX}/client-exchanges`,
  /** GET → RecordingSummary[]; POST {name} → RecordingSummary (starts a new current recording). */
  recordings: `${LAB_API_PREFIX}/recordings`,
  /** GET → Recording; PATCH {name}; DELETE. */
  recording: (id: string) => `${LAB_API_PREFIX}/recordings/${encodeURIComponent(id)}`,
  /** GET ?format=json|har|md → the file (Content-Disposition attachment). */
  recordingExport: (id: string) => `${LAB_API_PREFIX}/recordings/${encodeURIComponent(id)}/export`,
  /** POST a native JSON recording → RecordingSummary. */
  recordingImport: `${LAB_API_PREFIX}/recordings/import`,
  /** GET → LabClockState; POST {advanceSeconds} | {reset: true} → LabClockState. */
  clock: `${LAB_API_PREFIX}/clock`,
  /** POST → {kids: string[]}: rotate the provider's signing keys. */
  rotateKeys: `${LAB_API_PREFIX}/keys/rotate`,
} as const;

export interface LabClientInfo {
  client_id: string;
  client_name?: string;
  profile: 'oidc' | 'fapi2';
  token_endpoint_auth_method: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  scope: string;
  grant_types: string[];
  dpop_bound_access_tokens: boolean;
  /**
   * Whether its authorization requests must come through PAR here: its own registration, its profile
   * (fapi2), or the provider's setting for every client (RFC 9126 §5, §6).
   */
  require_pushed_authorization_requests: boolean;
  /** Demo material for the built-in client: the secret (client_secret_*) … */
  client_secret?: string;
  /**
   * … or the private keys the lab generated for it (private_key_jwt), the one of its registered
   * `token_endpoint_auth_signing_alg` first: the first key signs its client assertions.
   */
  private_jwks?: JWK[];
}

export interface LabSession {
  version: string;
  issuer: string;
  labOrigin: string;
  clients: LabClientInfo[];
  /** Demo users, to show on the login hint (passwords are not returned). */
  users: { username: string }[];
  clock: LabClockState;
  currentRecordingId: string;
  /**
   * Whether the provider records its exchanges (`serve --no-capture` turns it off): without it the
   * inspector has only what the demo client reports, none of the server's checks.
   */
  capture: boolean;
}

export interface LabClockState {
  offsetMs: number;
  now: number;
}

/** The demo client's report of one request it sent (merged with the server's by traceId + spanId). */
export interface ClientExchangeReport {
  traceId: string;
  spanId: string;
  label: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string | null;
  startedAt: number;
  durationMs: number;
  transportError?: string;
}

export type { LabEvent, Recording, RecordingSummary };
