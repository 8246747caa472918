/**
 * A value built the first time it is asked for, then kept. For zod schemas: zod builds a schema
 * when it is declared, which at module level puts the work on every start-up of every command,
 * including those that never validate anything of that kind.
 */
export function builtOnFirstUse<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
