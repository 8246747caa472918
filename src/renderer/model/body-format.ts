/**
 * How a captured HTTP body is shown: JSON pretty-printed, form bodies as a table of fields
 * (application/x-www-form-urlencoded, WHATWG URL §5), anything else as text.
 */
export type FormattedBody =
  | { kind: 'empty' }
  | { kind: 'json'; text: string; value: unknown }
  | { kind: 'form'; fields: [string, string][] }
  | { kind: 'text'; text: string };

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export { headerValue };

export function formatBody(body: string | null, headers: Record<string, string>): FormattedBody {
  if (body === null || body === '') return { kind: 'empty' };
  const type = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  const trimmed = body.trim();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      return { kind: 'json', text: JSON.stringify(value, null, 2), value };
    } catch {
      // Not JSON after all: fall through.
    }
  }
  if (
    type.includes('application/x-www-form-urlencoded') ||
    (!type && /^[^=&\s]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*$/.test(trimmed))
  ) {
    return { kind: 'form', fields: [...new URLSearchParams(trimmed).entries()] };
  }
  return { kind: 'text', text: body };
}

/** Query parameters of a URL, for the request view. */
export function queryFields(url: string): [string, string][] {
  try {
    return [...new URL(url).searchParams.entries()];
  } catch {
    return [];
  }
}

/** Names whose values are secrets or bearer material: masked when "hide secrets" is on. */
const SECRET_NAMES = new Set([
  'client_secret',
  'client_assertion',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'token',
  'password',
  'authorization',
  'dpop',
  'cookie',
  'set-cookie',
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
]);

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase());
}

/** Keeps the first few characters so the value stays recognisable on screen. */
export function maskSecret(value: string): string {
  if (value.length <= 8) return '••••••••';
  return `${value.slice(0, 6)}••••••••`;
}

export function maybeMask(name: string, value: string, hide: boolean): string {
  return hide && isSecretName(name) ? maskSecret(value) : value;
}
