/** A value built the first time it is asked for, then kept; `built` says whether it has been. */
export interface BuiltOnFirstUse<T> {
  (): T;
  readonly built: boolean;
}

/**
 * A value built the first time it is asked for, then kept. For zod schemas: zod builds a schema
 * when it is declared, which at module level puts the work on every start-up of every command,
 * including those that never validate anything of that kind. For packages the command's bundle
 * loads on first use (src/cli/on-first-use/).
 */
export function builtOnFirstUse<T>(build: () => T): BuiltOnFirstUse<T> {
  let built: { readonly value: T } | undefined;
  const value = (): T => (built ??= { value: build() }).value;
  return Object.defineProperty(value, 'built', { get: () => built !== undefined }) as BuiltOnFirstUse<T>;
}
