import type { Locale } from '../locale';
import { en, type Messages } from './en';
import { fr } from './fr';

export type { MessageKey, Messages } from './en';

export const catalogs: Readonly<Record<Locale, Messages>> = { en, fr };

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale];
}
