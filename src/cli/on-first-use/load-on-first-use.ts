import { createRequire } from 'node:module';
import { builtOnFirstUse, type BuiltOnFirstUse } from '../../common/built-on-first-use';

/** Resolves from where the running code is: the bundle's own directory once built, this one under test. */
const requireHere = createRequire(import.meta.url);

/**
 * A package the command's bundle leaves in node_modules (scripts/build-cli.mjs), required the first
 * time it is asked for. The packages are dependencies of this project in their own right, so npm
 * places them where that resolution finds them.
 */
export const loadOnFirstUse = <T>(name: string): BuiltOnFirstUse<T> =>
  builtOnFirstUse(() => requireHere(name) as T);
