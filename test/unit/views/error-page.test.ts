import { describe, expect, it } from 'vitest';
import { renderErrorPage } from '../../../src/server/http/views/error-page';
import { bodyText, elements, hasNoScript, textsOf } from './page-markup';
import { hostile } from './hostile';

const base = {
  locale: 'en' as const,
  error: 'invalid_request',
  error_description: 'redirect_uri is not registered for this client',
};

describe('renderErrorPage', () => {
  it('explains that the user was not redirected (RFC 6749 §4.1.2.1)', () => {
    const page = renderErrorPage(base);
    expect(textsOf(page, 'h1')).toEqual(['This request could not be completed']);
    expect(bodyText(page)).toContain(
      'You have not been sent back to the application, because it was not safe',
    );
    expect(textsOf(page, 'dd')).toEqual([
      'invalid_request',
      'redirect_uri is not registered for this client',
    ]);
  });

  it('has no form, link or refresh that could send the user anywhere', () => {
    const page = renderErrorPage(base);
    expect(elements(page, 'form')).toEqual([]);
    expect(elements(page, 'a')).toEqual([]);
    expect(page).not.toMatch(/http-equiv/i);
    expect(hasNoScript(page)).toBe(true);
  });

  it('uses a given title', () => {
    const page = renderErrorPage({ ...base, title: 'Unknown client' });
    expect(textsOf(page, 'h1')).toEqual(['Unknown client']);
    expect(textsOf(page, 'title')).toEqual(['Unknown client – TRusTY Lab']);
  });

  it('omits the details row when there is no description', () => {
    expect(textsOf(renderErrorPage({ ...base, error_description: '' }), 'dt')).toEqual(['Error']);
  });

  it('escapes hostile title, error and description', () => {
    const page = renderErrorPage({
      locale: 'en',
      title: hostile,
      error: hostile,
      error_description: hostile,
    });
    expect(hasNoScript(page)).toBe(true);
    expect(page).not.toContain('<a x=');
    expect(textsOf(page, 'h1')).toEqual([hostile]);
    expect(textsOf(page, 'dd')).toEqual([hostile, hostile]);
  });

  it('renders in French', () => {
    const page = renderErrorPage({ ...base, locale: 'fr' });
    expect(elements(page, 'html')[0]?.lang).toBe('fr');
    expect(textsOf(page, 'h1')).toEqual(['Cette demande n’a pas pu aboutir']);
    expect(bodyText(page)).toContain('Vous n’avez pas été renvoyé vers l’application');
    expect(textsOf(page, 'dt')).toEqual(['Erreur', 'Détails']);
  });
});
