import type { ScenarioDefinition } from './types';

/**
 * `--only PATTERN`: comma-separated ids or categories, `*` as a wildcard (`dpop-*`, `code-reused,pkce`).
 */
export function selectScenarios(
  scenarios: readonly ScenarioDefinition[],
  filter: { only?: string; ids?: readonly string[]; category?: string } = {},
): ScenarioDefinition[] {
  let selected = [...scenarios];
  if (filter.ids) {
    const ids = new Set(filter.ids);
    selected = selected.filter((s) => ids.has(s.id));
  }
  if (filter.category) selected = selected.filter((s) => s.category === filter.category);
  if (filter.only) {
    const patterns = filter.only
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    selected = selected.filter((s) =>
      patterns.some((p) => matchesGlob(p, s.id) || matchesGlob(p, s.category)),
    );
  }
  return selected;
}

/**
 * Whether `text` matches `pattern`, where `*` stands for any run of characters. Not a regular
 * expression: `.*` repeated backtracks exponentially (`--only '********!'` ran for minutes). Each `*`
 * here is only ever moved forward, so a match costs at most pattern × text steps.
 */
export function matchesGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // the last `*` seen in the pattern
  let resume = 0; // where in the text that `*` would have to grow to next
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
