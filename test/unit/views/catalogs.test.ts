import { describe, expect, it } from 'vitest';
import { catalogs, type Messages } from '../../../src/server/http/views/messages/catalogs';
import { en } from '../../../src/server/http/views/messages/en';
import { fr } from '../../../src/server/http/views/messages/fr';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1] ?? '').sort();

describe('message catalogs', () => {
  it('have exactly the same keys in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('serve both locales', () => {
    expect(catalogs.en).toBe(en);
    expect(catalogs.fr).toBe(fr);
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof Messages)[]) {
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('have no empty string and no markup', () => {
    for (const catalog of [en, fr]) {
      for (const [key, value] of Object.entries(catalog)) {
        expect(value.trim(), key).not.toBe('');
        expect(value, key).not.toMatch(/[<>]/);
      }
    }
  });

  it('are really translated (not copies of English), product name aside', () => {
    const same = (Object.keys(en) as (keyof Messages)[]).filter((key) => en[key] === fr[key]);
    expect(same).toEqual(['productName']);
  });

  it('reject a missing or extra key at compile time', () => {
    // @ts-expect-error a catalog without every key is not a Messages
    const missing: Messages = { productName: 'x' };
    // @ts-expect-error a catalog with an unknown key is not a Messages
    const extra: Messages = { ...en, notAKey: 'x' };
    expect(missing && extra).toBeTruthy();
  });
});
