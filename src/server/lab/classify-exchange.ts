import type { Actor } from '../../common/lab-events';

/** Paths of the demo resource server (the protected API). */
const isResourcePath = (path: string): boolean => path === '/api' || path.startsWith('/api/');

// Endpoint names as the arrows show them; matched on the last path segments so that the provider's
// own choice of paths (`/par`, `/as/par`, `/token/introspection`) reads the same.
const LABELS: readonly [RegExp, string][] = [
  [/^\/\.well-known\/(openid-configuration|oauth-authorization-server)$/, 'discovery'],
  [/(^|\/)(par|pushed_authorization_request|pushed-authorization-request)$/, 'PAR'],
  [/(^|\/)(introspect|introspection)$/, 'introspect'],
  [/(^|\/)(revoke|revocation)$/, 'revoke'],
  [/(^|\/)token$/, 'token'],
  [/(^|\/)(authorize|auth|authorization)$/, 'authorize'],
  [/(^|\/)(userinfo|me)$/, 'userinfo'],
  [/(^|\/)(end_session|end-session|logout|session\/end)$/, 'end_session'],
  [/(^|\/)(jwks|jwks\.json|certs)$/, 'jwks'],
];

// Interaction pages carry a random id in their path: name them by what they are, not by the id.
const INTERACTION_PAGE = /^\/interaction\/[^/]+(?:\/([a-z_-]+))?$/;

// Pages a person sees in the browser during a flow (login, consent, errors).
const INTERACTION =
  /^\/(interaction|login|consent|authorize|auth|end_session|end-session|logout|session)(\/|$)/;

/** The arrow's short name: `PAR`, `token`, `GET /api/accounts`. */
export function exchangeLabel(
  method: string,
  path: string,
  overrides?: Readonly<Record<string, string>>,
): string {
  const override = overrides?.[path];
  if (override) return override;
  if (isResourcePath(path)) return `${method} ${path}`;
  const interaction = INTERACTION_PAGE.exec(path);
  if (interaction) return interaction[1] ?? 'interaction';
  for (const [pattern, label] of LABELS) if (pattern.test(path)) return label;
  return `${method} ${path}`;
}

/** Who sent a request the provider received: the user's browser (front channel) or the client (back channel). */
export function exchangeFrom(method: string, path: string, accept: string | undefined): Actor {
  if (INTERACTION.test(path)) return 'browser';
  if (method === 'GET' && accept?.includes('text/html')) return 'browser';
  return 'client';
}

export const exchangeTo = (path: string): Actor =>
  isResourcePath(path) ? 'resource_server' : 'authorization_server';
