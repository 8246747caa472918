import { describe, expect, it } from 'vitest';
import { renderLoginPage, type LoginPageModel } from '../../../src/server/http/views/login-page';
import { CSRF_FIELD } from '../../../src/server/http/views/form-fields';
import { bodyText, elements, hasNoScript, textsOf } from './page-markup';
import { hostile, hostileAttribute } from './hostile';

const base: LoginPageModel = {
  locale: 'en',
  clientName: 'Demo Client',
  action: '/login',
  hiddenFields: { request_uri: 'urn:ietf:params:oauth:request_uri:abc' },
  csrfToken: 'csrf-123',
};

describe('renderLoginPage', () => {
  it('is a complete, script-free document in the requested language', () => {
    const page = renderLoginPage(base);
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(elements(page, 'html')[0]?.lang).toBe('en');
    expect(textsOf(page, 'title')[0]).toBe('Sign in – TRusTY Lab');
    expect(elements(page, 'main')).toHaveLength(1);
    expect(textsOf(page, 'h1')).toEqual(['Sign in']);
    expect(hasNoScript(page)).toBe(true);
  });

  it('posts username and password with labels and autocomplete hints', () => {
    const page = renderLoginPage(base);
    expect(elements(page, 'form')).toEqual([{ method: 'post', action: '/login' }]);
    const inputs = elements(page, 'input');
    const username = inputs.find((i) => i.name === 'username');
    const password = inputs.find((i) => i.name === 'password');
    expect(username).toMatchObject({ type: 'text', id: 'username', autocomplete: 'username' });
    expect(password).toMatchObject({ type: 'password', id: 'password', autocomplete: 'current-password' });
    expect(password?.value).toBeUndefined();
    expect(elements(page, 'label').map((l) => l.for)).toEqual(['username', 'password']);
  });

  it('carries the CSRF token and the hidden fields, and has one submit button', () => {
    const page = renderLoginPage(base);
    const hidden = elements(page, 'input').filter((i) => i.type === 'hidden');
    expect(hidden).toEqual([
      { type: 'hidden', name: CSRF_FIELD, value: 'csrf-123' },
      { type: 'hidden', name: 'request_uri', value: 'urn:ietf:params:oauth:request_uri:abc' },
    ]);
    expect(elements(page, 'button')).toEqual([{ type: 'submit', class: 'primary' }]);
  });

  it('puts the fields in focus order: username, password, submit', () => {
    const page = renderLoginPage(base);
    const order = ['name="username"', 'name="password"', '<button'].map((s) => page.indexOf(s));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).not.toMatch(/tabindex/);
  });

  it('escapes a hostile client name, username, CSRF token and hidden fields', () => {
    const page = renderLoginPage({
      ...base,
      clientName: hostile,
      username: hostileAttribute,
      csrfToken: hostileAttribute,
      hiddenFields: { [hostileAttribute]: hostile },
    });
    expect(hasNoScript(page)).toBe(true);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<a x=');
    expect(bodyText(page)).toContain(hostile);
    const inputs = elements(page, 'input');
    expect(inputs.find((i) => i.name === 'username')?.value).toBe(hostileAttribute);
    expect(inputs.find((i) => i.name === CSRF_FIELD)?.value).toBe(hostileAttribute);
    expect(inputs.find((i) => i.name === hostileAttribute)?.value).toBe(hostile);
  });

  it('does not let a hidden field shadow the credentials or the CSRF token', () => {
    const page = renderLoginPage({
      ...base,
      hiddenFields: { [CSRF_FIELD]: 'forged', username: 'admin', password: 'x', state: 's' },
    });
    const names = elements(page, 'input').map((i) => i.name);
    expect(names.filter((n) => n === CSRF_FIELD)).toHaveLength(1);
    expect(names.filter((n) => n === 'username')).toHaveLength(1);
    expect(names.filter((n) => n === 'password')).toHaveLength(1);
    expect(page).not.toContain('forged');
    expect(names).toContain('state');
  });

  it('refuses an action that is not a path or http(s) URL', () => {
    for (const action of [
      'javascript:alert(1)',
      '//evil.example/login',
      'data:text/html,x',
      '/\\evil.example',
    ]) {
      expect(() => renderLoginPage({ ...base, action })).toThrow(TypeError);
    }
    expect(
      elements(renderLoginPage({ ...base, action: 'http://127.0.0.1:4000/login' }), 'form')[0]?.action,
    ).toBe('http://127.0.0.1:4000/login');
  });

  it('says the credentials are wrong without saying which field, whatever was wrong', () => {
    // The page model cannot even express which field failed: an unknown user and a wrong password
    // render the same page, byte for byte, when the same username is echoed.
    const unknownUser = renderLoginPage({ ...base, username: 'nobody', error: 'invalid_credentials' });
    const wrongPassword = renderLoginPage({ ...base, username: 'nobody', error: 'invalid_credentials' });
    expect(unknownUser).toBe(wrongPassword);
    const alert = textsOf(unknownUser, 'p').find((t) => t.includes('incorrect'));
    expect(alert).toBe('The username or password is incorrect.');
    const inputs = elements(unknownUser, 'input');
    expect(inputs.some((i) => 'aria-invalid' in i)).toBe(false);
    const username = inputs.find((i) => i.name === 'username');
    const password = inputs.find((i) => i.name === 'password');
    expect(username?.['aria-describedby']).toBe('login-error');
    expect(password?.['aria-describedby']).toBe('login-error');
    expect(elements(unknownUser, 'p').find((p) => p.id === 'login-error')?.role).toBe('alert');
  });

  it('keeps the error text identical with or without a username', () => {
    const a = renderLoginPage({ ...base, error: 'invalid_credentials' });
    const b = renderLoginPage({ ...base, username: 'alice', error: 'invalid_credentials' });
    const alertOf = (page: string) => /<p class="alert"[^>]*>([^<]*)<\/p>/.exec(page)?.[1];
    expect(alertOf(a)).toBe(alertOf(b));
    expect(alertOf(a)).toBeDefined();
  });

  it('focuses the password when the username is already filled in', () => {
    const filled = elements(renderLoginPage({ ...base, username: 'alice' }), 'input');
    expect(filled.find((i) => i.name === 'password')).toHaveProperty('autofocus');
    expect(filled.find((i) => i.name === 'username')).not.toHaveProperty('autofocus');
    const empty = elements(renderLoginPage(base), 'input');
    expect(empty.find((i) => i.name === 'username')).toHaveProperty('autofocus');
  });

  it('explains throttling, with the wait when known, in both languages', () => {
    expect(bodyText(renderLoginPage({ ...base, error: 'throttled', retryAfterSeconds: 30 }))).toContain(
      'Try again in 30 seconds.',
    );
    expect(bodyText(renderLoginPage({ ...base, error: 'throttled', retryAfterSeconds: 1 }))).toContain(
      'Try again in 1 second.',
    );
    expect(bodyText(renderLoginPage({ ...base, error: 'throttled', retryAfterSeconds: 0.2 }))).toContain(
      'in 1 second.',
    );
    expect(bodyText(renderLoginPage({ ...base, error: 'throttled' }))).toContain('Please wait a moment');
    expect(
      bodyText(renderLoginPage({ ...base, locale: 'fr', error: 'throttled', retryAfterSeconds: 5 })),
    ).toContain('Réessayez dans 5 secondes.');
  });

  it('shows no alert when there is no error', () => {
    const page = renderLoginPage(base);
    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain('aria-describedby');
  });

  it('renders in French', () => {
    const page = renderLoginPage({ ...base, locale: 'fr', error: 'invalid_credentials' });
    expect(elements(page, 'html')[0]?.lang).toBe('fr');
    expect(textsOf(page, 'h1')).toEqual(['Connexion']);
    expect(textsOf(page, 'label')).toEqual(['Nom d’utilisateur', 'Mot de passe']);
    expect(bodyText(page)).toContain('Le nom d’utilisateur ou le mot de passe est incorrect.');
    expect(textsOf(page, 'button')).toEqual(['Se connecter']);
  });
});
