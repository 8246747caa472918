/**
 * How deeply a decoded JWT's header or payload may nest objects and arrays. Claims nest a few levels
 * at most (RFC 9396 authorization_details, a verifiable credential's `vc`); JSON.parse takes any
 * depth, but JSON.stringify and every recursive reader of the value (a schema, the inspector's tree)
 * run out of stack a few thousand levels down. A 13 KB JWT nested 5,000 levels deep, sent to any
 * endpoint, crashed the provider while its lab UI was open.
 */
export const MAX_JWT_JSON_DEPTH = 32;

/**
 * Whether `value` nests objects and arrays at most `max` levels deep (a scalar is 0 levels, `{}` 1).
 * Walks with a stack of its own: measuring must not recurse as deep as the value does.
 */
export function jsonDepthWithin(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > max) return false;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1]);
  }
  return true;
}
