import { describe, expect, it } from 'vitest';
import { CSRF_FIELD } from '../../../src/server/http/views/form-fields';
import { renderLoggedOutPage } from '../../../src/server/http/views/logged-out-page';
import { renderStillSignedInPage } from '../../../src/server/http/views/still-signed-in-page';
import {
  renderLogoutConfirmPage,
  type LogoutConfirmPageModel,
} from '../../../src/server/http/views/logout-confirm-page';
import { bodyText, elements, hasNoScript, textsOf } from './page-markup';
import { hostile, hostileAttribute } from './hostile';

const base: LogoutConfirmPageModel = {
  locale: 'en',
  action: '/session/end',
  hiddenFields: { post_logout_redirect_uri: 'https://rp.example/bye', state: 'st' },
  csrfToken: 'csrf-9',
};

describe('renderLogoutConfirmPage', () => {
  it('asks "Sign out of TRusTY Lab?" with logout and cancel decisions', () => {
    const page = renderLogoutConfirmPage(base);
    expect(textsOf(page, 'h1')).toEqual(['Sign out of TRusTY Lab?']);
    expect(elements(page, 'form')).toEqual([{ method: 'post', action: '/session/end' }]);
    expect(elements(page, 'button').map(({ type, name, value }) => ({ type, name, value }))).toEqual([
      { type: 'submit', name: 'decision', value: 'logout' },
      { type: 'submit', name: 'decision', value: 'cancel' },
    ]);
  });

  it('carries the CSRF token and hidden fields, but never a decision', () => {
    const page = renderLogoutConfirmPage({
      ...base,
      hiddenFields: { ...base.hiddenFields, decision: 'logout' },
    });
    expect(elements(page, 'input')).toEqual([
      { type: 'hidden', name: CSRF_FIELD, value: 'csrf-9' },
      { type: 'hidden', name: 'post_logout_redirect_uri', value: 'https://rp.example/bye' },
      { type: 'hidden', name: 'state', value: 'st' },
    ]);
  });

  it('names the client when known', () => {
    expect(bodyText(renderLogoutConfirmPage({ ...base, clientName: 'Demo Client' }))).toContain(
      'Demo Client asked to sign you out of TRusTY Lab.',
    );
    expect(bodyText(renderLogoutConfirmPage(base))).toContain('You are about to sign out of TRusTY Lab.');
  });

  it('escapes a hostile client name and hidden fields', () => {
    const page = renderLogoutConfirmPage({
      ...base,
      clientName: hostile,
      hiddenFields: { state: hostileAttribute },
    });
    expect(hasNoScript(page)).toBe(true);
    expect(page).not.toContain('<a x=');
    expect(bodyText(page)).toContain(`${hostile} asked to sign you out`);
    expect(elements(page, 'input').find((i) => i.name === 'state')?.value).toBe(hostileAttribute);
  });

  it('renders in French', () => {
    const page = renderLogoutConfirmPage({ ...base, locale: 'fr' });
    expect(elements(page, 'html')[0]?.lang).toBe('fr');
    expect(textsOf(page, 'h1')).toEqual(['Se déconnecter de TRusTY Lab\u00a0?']);
    expect(textsOf(page, 'button')).toEqual(['Se déconnecter', 'Rester connecté']);
  });
});

describe('renderLoggedOutPage', () => {
  it('says the user is signed out and offers no way onward', () => {
    const page = renderLoggedOutPage({ locale: 'en' });
    expect(textsOf(page, 'h1')).toEqual(['You are signed out']);
    expect(elements(page, 'form')).toEqual([]);
    expect(elements(page, 'a')).toEqual([]);
    expect(page).not.toMatch(/http-equiv/i);
    expect(hasNoScript(page)).toBe(true);
  });

  it('renders in French', () => {
    const page = renderLoggedOutPage({ locale: 'fr' });
    expect(elements(page, 'html')[0]?.lang).toBe('fr');
    expect(textsOf(page, 'h1')).toEqual(['Vous êtes déconnecté']);
  });
});

describe('renderStillSignedInPage', () => {
  it('says the user is still signed in, not signed out', () => {
    const page = renderStillSignedInPage({ locale: 'en' });
    expect(textsOf(page, 'h1')).toEqual(['You are still signed in']);
    expect(bodyText(page)).not.toMatch(/have been signed out/);
    expect(elements(page, 'form')).toEqual([]);
    expect(hasNoScript(page)).toBe(true);
  });

  it('renders in French', () => {
    const page = renderStillSignedInPage({ locale: 'fr' });
    expect(elements(page, 'html')[0]?.lang).toBe('fr');
    expect(textsOf(page, 'h1')).toEqual(['Vous êtes toujours connecté']);
  });
});
