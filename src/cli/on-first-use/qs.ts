/**
 * What the command's bundle gives Express and body-parser when they require `qs`
 * (scripts/build-cli.mjs): the package, with the half-dozen it pulls in (side-channel,
 * object-inspect, get-intrinsic…), loaded on the first call. Both require it as they load, for their
 * `extended` parsers of query strings and form bodies, which the provider does not use: it parses form
 * bodies itself (src/server/http/form-body.ts) and query strings with Express's `simple` parser.
 *
 * `parse` is the only function those packages call.
 */
import { loadOnFirstUse } from './load-on-first-use';

interface Qs {
  parse(text: string, options?: Record<string, unknown>): Record<string, unknown>;
}

export const qs = loadOnFirstUse<Qs>('qs');

export const parse = (text: string, options?: Record<string, unknown>): Record<string, unknown> =>
  qs().parse(text, options);
