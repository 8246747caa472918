import { html, type SafeHtml } from './html';
import type { Locale } from './locale';
import type { MessageKey } from './messages/catalogs';
import { translate } from './translate';

// OpenID Connect Core §5.4 (profile, email, address, phone) and §11 (offline_access); openid §3.1.2.1.
const knownScopes: Readonly<Record<string, MessageKey>> = {
  openid: 'scopeOpenid',
  profile: 'scopeProfile',
  email: 'scopeEmail',
  address: 'scopeAddress',
  phone: 'scopePhone',
  offline_access: 'scopeOfflineAccess',
};

/** A plain-language sentence for one scope value; any other scope gets a generic line naming it. */
export function describeScope(locale: Locale, scope: string): SafeHtml {
  const key = Object.hasOwn(knownScopes, scope) ? knownScopes[scope] : undefined;
  return key
    ? translate(locale, key)
    : translate(locale, 'scopeOther', { scope: html`<code>${scope}</code>` });
}
