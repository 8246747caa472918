import { verify, type CheckSpec } from './check';
import { invalidScope } from './oauth-error';

// RFC 6749 §3.3: scope = scope-token *( SP scope-token ); scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_SYNTAX = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** A scope parameter as RFC 6749 §3.3 writes it: tokens separated by single spaces, none empty. */
export const isScopeSyntax = (scope: string): boolean => SCOPE_SYNTAX.test(scope);

const scopeSyntaxCheck = {
  id: 'scope.syntax',
  description: 'scope is one or more scope tokens separated by single spaces',
  ref: 'RFC 6749 §3.3',
} satisfies CheckSpec;

/** A scope parameter, when sent, is well-formed (RFC 6749 §3.3): `invalid_scope` otherwise. */
export function checkScopeSyntax(scope: string | undefined): void {
  verify(scopeSyntaxCheck, scope === undefined || isScopeSyntax(scope), () =>
    invalidScope('scope must be scope tokens separated by single spaces'),
  );
}

/** RFC 6749 §3.3: scope is a space-delimited list of case-sensitive strings. */
export const parseScope = (scope: string | undefined): string[] =>
  scope ? [...new Set(scope.split(' ').filter((s) => s.length > 0))] : [];

export const formatScope = (scopes: Iterable<string>): string => [...scopes].join(' ');

/** OpenID Connect Core §5.4: the claims each standard scope value requests. */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** The scope values this provider knows (advertised as scopes_supported). */
export const SUPPORTED_SCOPES = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
  'accounts',
];

/** The user's claims released for the granted scopes (OpenID Connect Core §5.4), with `sub` always. */
export function claimsForScopes(
  sub: string,
  claims: Readonly<Record<string, unknown>>,
  scopes: readonly string[],
): Record<string, unknown> {
  const released: Record<string, unknown> = { sub };
  for (const scope of scopes) {
    for (const name of SCOPE_CLAIMS[scope] ?? []) {
      if (name in claims) released[name] = claims[name];
    }
  }
  return released;
}
