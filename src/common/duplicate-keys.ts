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
