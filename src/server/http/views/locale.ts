/** The languages the provider's pages are written in (lab-config `ui_locales`). */
export const supportedLocales = ['en', 'fr'] as const;

export type Locale = (typeof supportedLocales)[number];

/** Maps a BCP 47 language tag to a supported locale by its primary language subtag (`fr-CA` → `fr`). */
export function localeOfTag(tag: string): Locale | undefined {
  const primary = tag.trim().split('-')[0]?.toLowerCase();
  return supportedLocales.find((locale) => locale === primary);
}
