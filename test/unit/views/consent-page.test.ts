import { describe, expect, it } from 'vitest';
import { renderConsentPage, type ConsentPageModel } from '../../../src/server/http/views/consent-page';
import { CSRF_FIELD } from '../../../src/server/http/views/form-fields';
import { bodyText, elements, hasNoScript, textsOf } from './page-markup';
import { hostile, hostileAttribute } from './hostile';

const base: ConsentPageModel = {
  locale: 'en',
  clientName: 'Demo Client',
  clientId: 'demo-client',
  userName: 'alice',
  scopes: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
  action: '/consent',
  hiddenFields: { interaction: 'i-1' },
  csrfToken: 'csrf-1',
};

describe('renderConsentPage', () => {
  it('explains each standard scope in plain language', () => {
    const items = textsOf(renderConsentPage(base), 'li');
    expect(items).toEqual([
      'Confirm who you are by signing you in',
      'See your basic profile: name, nickname, picture, locale and similar details',
      'See your email address and whether it is verified',
      'See your postal address',
      'See your phone number and whether it is verified',
      'Keep access while you are away, until you revoke it',
    ]);
  });

  it('gives any other scope a generic line that names it, and lists each scope once', () => {
    const items = textsOf(
      renderConsentPage({ ...base, scopes: ['openid', 'accounts', 'accounts', ''] }),
      'li',
    );
    expect(items).toEqual(['Confirm who you are by signing you in', 'Use the permission “accounts”']);
  });

  it('does not mistake inherited object keys for known scopes', () => {
    const items = textsOf(renderConsentPage({ ...base, scopes: ['constructor', 'toString'] }), 'li');
    expect(items).toEqual(['Use the permission “constructor”', 'Use the permission “toString”']);
  });

  it('offers exactly two decisions, allow and deny, in one form with the CSRF token', () => {
    const page = renderConsentPage(base);
    expect(elements(page, 'form')).toEqual([{ method: 'post', action: '/consent' }]);
    expect(elements(page, 'button').map(({ type, name, value }) => ({ type, name, value }))).toEqual([
      { type: 'submit', name: 'decision', value: 'allow' },
      { type: 'submit', name: 'decision', value: 'deny' },
    ]);
    expect(elements(page, 'input')).toEqual([
      { type: 'hidden', name: CSRF_FIELD, value: 'csrf-1' },
      { type: 'hidden', name: 'interaction', value: 'i-1' },
    ]);
  });

  it('cannot be given a hidden decision that would outvote the Deny button', () => {
    const page = renderConsentPage({ ...base, hiddenFields: { decision: 'allow', interaction: 'i-1' } });
    expect(elements(page, 'input').map((i) => i.name)).toEqual([CSRF_FIELD, 'interaction']);
  });

  it('names the client and shows its client_id', () => {
    const text = bodyText(renderConsentPage(base));
    expect(text).toContain('Demo Client is asking for permission to:');
    expect(text).toContain('Client ID: demo-client');
  });

  it('names the user who consents: the one the browser is signed in as', () => {
    expect(bodyText(renderConsentPage(base))).toContain('Signed in as alice');
    expect(bodyText(renderConsentPage({ ...base, locale: 'fr' }))).toContain('Connecté en tant que alice');
  });

  it('escapes a hostile client name, client_id, user name, scope and hidden field', () => {
    const page = renderConsentPage({
      ...base,
      clientName: hostile,
      clientId: hostile,
      userName: hostile,
      scopes: ['openid', hostile],
      hiddenFields: { x: hostileAttribute },
      csrfToken: hostileAttribute,
    });
    expect(hasNoScript(page)).toBe(true);
    expect(page).not.toContain('<a x=');
    expect(bodyText(page)).toContain(`${hostile} is asking for permission to:`);
    expect(bodyText(page)).toContain(`Signed in as ${hostile}`);
    expect(textsOf(page, 'li')).toContain(`Use the permission “${hostile}”`);
    expect(elements(page, 'input').find((i) => i.name === 'x')?.value).toBe(hostileAttribute);
  });

  it('renders in French', () => {
    const page = renderConsentPage({ ...base, locale: 'fr', scopes: ['email', 'accounts'] });
    expect(elements(page, 'html')[0]?.lang).toBe('fr');
    expect(textsOf(page, 'h1')).toEqual(['Autoriser l’accès\u00a0?']);
    expect(textsOf(page, 'li')).toEqual([
      'Voir votre adresse e-mail et savoir si elle est vérifiée',
      'Utiliser l’autorisation «\u00a0accounts\u00a0»',
    ]);
    expect(textsOf(page, 'button')).toEqual(['Autoriser', 'Refuser']);
    expect(hasNoScript(page)).toBe(true);
  });
});
