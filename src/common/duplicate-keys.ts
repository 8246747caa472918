import type * as z from 'zod';

/**
 * In a zod refinement, refuses every item of `items` whose `field` an earlier item has already, naming
 * the first: `clients[1].client_id: duplicate client_id (also clients[0])`. `list` is where the items
 * stand in the validated value.
 */
export function refuseDuplicateKeys<K extends string>(
  ctx: z.RefinementCtx,
  items: readonly Readonly<Record<K, string>>[],
  list: string,
  field: K,
): void {
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const seen = first.get(item[field]);
    if (seen === undefined) first.set(item[field], index);
    else {
      ctx.addIssue({
        code: 'custom',
        path: [list, index, field],
        message: `duplicate ${field} (also ${list}[${seen}])`,
      });
    }
  });
}

/**
 * Refuses every item whose `field` is no earlier item's but equals one once both are in Unicode NFC
 * and lower case (as RFC 8265's UsernameCaseMapped profile maps usernames before comparing them),
 * naming the earlier: `users[1].username: differs from users[0].username only by letter case or
 * Unicode normalization`. Distinct to a program, such keys are one to a person reading them. Exact
 * duplicates are refuseDuplicateKeys's.
 */
export function refuseLookalikeKeys<K extends string>(
  ctx: z.RefinementCtx,
  items: readonly Readonly<Record<K, string>>[],
  list: string,
  field: K,
): void {
  const exact = new Set<string>();
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const key = item[field];
    const folded = key.normalize('NFC').toLowerCase();
    const seen = first.get(folded);
    if (seen === undefined) first.set(folded, index);
    else if (!exact.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [list, index, field],
        message: `differs from ${list}[${seen}].${field} only by letter case or Unicode normalization`,
      });
    }
    exact.add(key);
  });
}
