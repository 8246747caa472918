/**
 * Test scenarios forge faulty tokens by overriding members: a value replaces the member, `undefined`
 * removes it (a proof without `jti`, an assertion without `exp`). Kept explicit so that a forged
 * token is always visibly forged at the call site.
 */
export type ClaimOverrides = Record<string, unknown>;

export function applyOverrides(
  base: Record<string, unknown>,
  overrides: ClaimOverrides | undefined,
): Record<string, unknown> {
  if (!overrides) return base;
  const result: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete result[name];
    else result[name] = value;
  }
  return result;
}
