import { createRequire } from 'node:module';

/**
 * A package the command's bundle leaves in node_modules (scripts/build-cli.mjs): required on the
 * first call of `get`, resolved from where the running code is — the bundle's own directory once
 * built, this one under test. The packages are dependencies of this project in their own right, so
 * npm places them where that resolution finds them.
 */
export function loadOnFirstUse<T>(name: string): { get(): T; readonly loaded: boolean } {
  const requireHere = createRequire(import.meta.url);
  let module: T | undefined;
  return {
    get: () => (module ??= requireHere(name) as T),
    get loaded() {
      return module !== undefined;
    },
  };
}
