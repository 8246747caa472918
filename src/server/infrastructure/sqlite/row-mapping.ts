/**
 * SQLite has NULL where the entities have an absent optional field. These helpers keep the mapping
 * exact in both directions: absent ⇄ NULL, never `field: undefined` or `field: null` in an entity.
 */

/** Copies only the entries whose value is not null/undefined. */
export function withoutNulls<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out as { [K in keyof T]?: Exclude<T[K], null> };
}

/** An entity being built from its row, its optional fields set one by one (no spread, no copy). */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The column value of an optional field. */
export const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

export const toJson = (value: unknown): string => JSON.stringify(value);

export function parseStringRecord(text: string): Readonly<Record<string, string>> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('stored parameters are not an object');
  }
  return parsed as Record<string, string>;
}

export function parseStringList(text: string): readonly string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
    throw new Error('stored list is not a list of strings');
  }
  return parsed as string[];
}

export const optionalList = (text: string | null): readonly string[] | undefined =>
  text === null ? undefined : parseStringList(text);
