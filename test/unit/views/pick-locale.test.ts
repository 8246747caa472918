import { describe, expect, it } from 'vitest';
import { pickLocale } from '../../../src/server/http/views/pick-locale';

describe('pickLocale', () => {
  it('prefers ui_locales over Accept-Language (OpenID Connect Core §3.1.2.1)', () => {
    expect(pickLocale('en-US,en;q=0.9', 'fr-CA', 'en')).toBe('fr');
    expect(pickLocale('fr-FR,fr;q=0.9', 'en', 'fr')).toBe('en');
  });

  it('takes the first supported entry of the space-separated ui_locales list', () => {
    expect(pickLocale(undefined, 'de ja fr en', 'en')).toBe('fr');
    expect(pickLocale(undefined, 'es  EN-gb', 'fr')).toBe('en');
  });

  it('falls back to Accept-Language when no ui_locales entry is supported', () => {
    expect(pickLocale('fr', 'de ja', 'en')).toBe('fr');
    expect(pickLocale('fr', '', 'en')).toBe('fr');
  });

  it('orders Accept-Language by q-value, not by position', () => {
    expect(pickLocale('en;q=0.4, fr;q=0.8', undefined, 'en')).toBe('fr');
    expect(pickLocale('fr;q=0.5, de, en;q=0.7', undefined, 'fr')).toBe('en');
  });

  it('keeps header order between equal weights', () => {
    expect(pickLocale('fr, en', undefined, 'en')).toBe('fr');
    expect(pickLocale('en, fr', undefined, 'fr')).toBe('en');
  });

  it('matches region subtags to their language', () => {
    expect(pickLocale('fr-CH, de;q=0.9', undefined, 'en')).toBe('fr');
  });

  it('never picks a language weighted q=0', () => {
    expect(pickLocale('fr;q=0, en;q=0.1', undefined, 'fr')).toBe('en');
    expect(pickLocale('fr;q=0', undefined, 'en')).toBe('en');
  });

  it('answers * with the default locale unless the header refused it', () => {
    expect(pickLocale('de, *;q=0.5', undefined, 'fr')).toBe('fr');
    expect(pickLocale('en;q=0, *', undefined, 'en')).toBe('fr');
  });

  it('ignores malformed items instead of failing', () => {
    expect(pickLocale('fr;q=2, en;q=abc, <script>, fr;q=0.3', undefined, 'en')).toBe('fr');
    expect(pickLocale(';;,,', undefined, 'fr')).toBe('fr');
  });

  it('returns the default when nothing is said or nothing is supported', () => {
    expect(pickLocale(undefined, undefined, 'fr')).toBe('fr');
    expect(pickLocale(null, null, 'en')).toBe('en');
    expect(pickLocale('de-DE, ja;q=0.8', 'es', 'fr')).toBe('fr');
  });
});
