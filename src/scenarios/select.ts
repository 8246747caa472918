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
      .filter((p) => p !== '')
      .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    selected = selected.filter((s) => patterns.some((p) => p.test(s.id) || p.test(s.category)));
  }
  return selected;
}
